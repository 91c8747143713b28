import {
  type MiddlewareConsumer,
  Module,
  type NestModule,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../core/clock';
import { AuthSessionRepository } from '../../persistence/repositories/auth-session.repository';
import { BackupSqlRepository } from '../../persistence/repositories/backup-sql.repository';
import { AuditModule } from '../audit/audit.module';
import { ConsentGrantsModule } from '../consent/consent-grants.module';
import { GraphModule } from '../graph/graph.module';
import { TenantsModule } from '../tenants/tenants.module';
import { AccessGuard } from './access.guard';
import { AccessRefusals } from './access-refusals';
import { AccessService } from './access.service';
import { KeyRateLimiter } from './key-rate-limiter';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { EntraOidcGuard, EntraOidcStartGuard, EntraOidcStrategy } from './entra-oidc.strategy';
import { IdentityHttp } from './identity-http';
import { OidcClient } from './oidc-client';
import { SessionMiddleware } from './session.middleware';
import { SignInStartLimiter } from './sign-in-start-limiter';
import { GraphTenantDirectory, TenantDirectory } from './tenant-directory';

/** Expired sessions are purged this often (abandoned sign-ins expire after 10 minutes). */
const SWEEP_INTERVAL_MS = 10 * 60_000;

/**
 * Sign-in with Microsoft 365 (OIDC code flow + PKCE), server-side sessions in our database, and
 * the global access guard: admins only, own tenant only, CSRF header on state changes.
 */
@Module({
  imports: [
    PassportModule.register({ session: false }),
    AuditModule,
    TenantsModule,
    ConsentGrantsModule,
    GraphModule,
  ],
  controllers: [AuthController],
  providers: [
    BackupSqlRepository,
    AuthSessionRepository,
    {
      provide: IdentityHttp,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new IdentityHttp(config.graph.caCertificates),
    },
    { provide: TenantDirectory, useClass: GraphTenantDirectory },
    OidcClient,
    AccessService,
    AuthService,
    EntraOidcStrategy,
    EntraOidcGuard,
    EntraOidcStartGuard,
    SignInStartLimiter,
    SessionMiddleware,
    {
      provide: KeyRateLimiter,
      inject: [AppConfig, DataSource],
      useFactory: (config: AppConfig, dataSource: DataSource) => new KeyRateLimiter(config, dataSource),
    },
    AccessRefusals,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AccessService, TenantDirectory, AuthService],
})
export class AuthModule implements NestModule, OnModuleInit, OnModuleDestroy {
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly sessions: AuthSessionRepository,
    private readonly clock: Clock,
    private readonly http: IdentityHttp,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(SessionMiddleware).forRoutes('{*path}');
  }

  onModuleInit(): void {
    this.sweeper = setInterval(() => {
      this.sessions.deleteExpired(this.clock.now()).catch(() => undefined);
    }, SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await this.http.close();
  }
}
