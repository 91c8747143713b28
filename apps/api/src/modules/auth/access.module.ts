import { Global, Module } from '@nestjs/common';
import { PrincipalResolver } from './principal-resolver.service';
import { TenantAccess } from './tenant-access.service';

/** Who is calling and what it may do where: for the access guard and for services that narrow lists. */
@Global()
@Module({ providers: [PrincipalResolver, TenantAccess], exports: [PrincipalResolver, TenantAccess] })
export class AccessModule {}
