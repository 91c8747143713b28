import {
  applyDecorators,
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { RotateApiKeyRequest } from '@entra-backup/common';
import { ZodValidationPipe } from 'nestjs-zod';
import { ErrorBodyDto } from '../../core/errors/error-body.dto';
import { CurrentPrincipal, Requires } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { TenantIdParamsDto } from '../tenants/tenants.dto';
import {
  ApiKeyDto,
  ApiKeyPageDto,
  CreatedApiKeyDto,
  CreatePartnerApiKeyDto,
  CreateTenantApiKeyDto,
  ListApiKeysQueryDto,
  PartnerIdParamsDto,
  PartnerKeyParamsDto,
  RotateApiKeyDto,
  rotateApiKeyBodySchema,
  TenantKeyParamsDto,
} from './api-keys.dto';
import { ApiKeysService } from './api-keys.service';

const FORBIDDEN =
  'TENANT_FORBIDDEN (not yours), PERMISSION_DENIED (no keys:manage: API keys never manage keys), ' +
  'API_KEY_SCOPE_NOT_HELD (a scope grants what you do not hold) or CSRF_TOKEN_INVALID';
const CREATE_DESCRIPTION =
  'The answer carries the full key (`key`) this once: only a hash of its secret is stored. Send it as ' +
  '`Authorization: Bearer <key>`. Scopes: `read` (tenants:read), `backup` (backups:start), `restore` ' +
  '(restores:run), `export` (exports:download, secrets:reveal), `admin` (settings:write, customers:onboard). ';
const ROTATE_DESCRIPTION =
  'A new secret with the same name, scopes, tenants and expiry; the answer carries the new key once. The ' +
  'old key is refused from the next request on, or with `graceMinutes` (at most 1440) keeps working until then.';

/** Rotating and revoking are the same operations for a tenant's and a partner's keys. */
const RotateKeyOperation = () =>
  applyDecorators(
    Requires('keys:manage'),
    Header('Cache-Control', 'no-store'),
    ApiOperation({
      summary: 'Rotate a key: a new secret, the old one retired',
      description: ROTATE_DESCRIPTION,
    }),
    ApiBody({ type: RotateApiKeyDto, required: false }),
    ApiCreatedResponse({ type: CreatedApiKeyDto }),
    ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED' }),
    ApiNotFoundResponse({ type: ErrorBodyDto, description: 'API_KEY_NOT_FOUND' }),
    ApiConflictResponse({
      type: ErrorBodyDto,
      description: 'API_KEY_NOT_ACTIVE (revoked, expired or already replaced)',
    }),
  );

const RevokeKeyOperation = () =>
  applyDecorators(
    Requires('keys:manage'),
    HttpCode(HttpStatus.OK),
    ApiOperation({
      summary: 'Revoke a key: refused from its next request on (revoking again changes nothing)',
    }),
    ApiOkResponse({ type: ApiKeyDto }),
    ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED (keyId)' }),
    ApiNotFoundResponse({ type: ErrorBodyDto, description: 'API_KEY_NOT_FOUND' }),
  );

@ApiTags('api-keys')
@ApiForbiddenResponse({ type: ErrorBodyDto, description: FORBIDDEN })
@Controller('tenants/:tenantId/api-keys')
export class TenantApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @Requires('keys:manage')
  @ApiOperation({ summary: "The tenant's own API keys, newest first (never their secrets)" })
  @ApiOkResponse({ type: ApiKeyPageDto })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description: 'VALIDATION_FAILED (status, page, pageSize, cursor)',
  })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'API_KEY_OWNER_NOT_FOUND (tenant not registered)' })
  listKeys(@Param() params: TenantIdParamsDto, @Query() query: ListApiKeysQueryDto) {
    return this.keys.list({ kind: 'tenant', id: params.tenantId }, query);
  }

  @Post()
  @Requires('keys:manage')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Create an API key for the tenant', description: CREATE_DESCRIPTION })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description: 'VALIDATION_FAILED or API_KEY_INVALID_REQUEST (expiry not in the future)',
  })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'API_KEY_OWNER_NOT_FOUND (tenant not registered)' })
  createKey(
    @Param() params: TenantIdParamsDto,
    @Body() body: CreateTenantApiKeyDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.keys.create({ kind: 'tenant', id: params.tenantId }, body, principal);
  }

  @Post(':keyId/rotate')
  @RotateKeyOperation()
  rotateKey(
    @Param() params: TenantKeyParamsDto,
    @Body(new ZodValidationPipe(rotateApiKeyBodySchema)) body: Required<RotateApiKeyRequest>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.keys.rotate(
      { kind: 'tenant', id: params.tenantId },
      params.keyId,
      body.graceMinutes,
      principal,
    );
  }

  @Delete(':keyId')
  @RevokeKeyOperation()
  revokeKey(@Param() params: TenantKeyParamsDto, @CurrentPrincipal() principal: Principal) {
    return this.keys.revoke({ kind: 'tenant', id: params.tenantId }, params.keyId, principal);
  }
}

@ApiTags('api-keys')
@ApiForbiddenResponse({ type: ErrorBodyDto, description: FORBIDDEN })
@Controller('partners/:partnerId/api-keys')
export class PartnerApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @Requires('keys:manage')
  @ApiOperation({ summary: "The partner's API keys, newest first (never their secrets)" })
  @ApiOkResponse({ type: ApiKeyPageDto })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description: 'VALIDATION_FAILED (status, page, pageSize, cursor)',
  })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'API_KEY_OWNER_NOT_FOUND (no such partner)' })
  listKeys(@Param() params: PartnerIdParamsDto, @Query() query: ListApiKeysQueryDto) {
    return this.keys.list({ kind: 'partner', id: params.partnerId }, query);
  }

  @Post()
  @Requires('keys:manage')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: "Create an API key over the partner's customer tenants (all, or those in `tenantIds`)",
    description:
      CREATE_DESCRIPTION +
      'Without `tenantIds` the key covers every tenant the partner manages, including later ones.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description:
      'VALIDATION_FAILED or API_KEY_INVALID_REQUEST (expiry not in the future, a tenant not the partner’s)',
  })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'API_KEY_OWNER_NOT_FOUND (no such partner)' })
  createKey(
    @Param() params: PartnerIdParamsDto,
    @Body() body: CreatePartnerApiKeyDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.keys.create({ kind: 'partner', id: params.partnerId }, body, principal);
  }

  @Post(':keyId/rotate')
  @RotateKeyOperation()
  rotateKey(
    @Param() params: PartnerKeyParamsDto,
    @Body(new ZodValidationPipe(rotateApiKeyBodySchema)) body: Required<RotateApiKeyRequest>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.keys.rotate(
      { kind: 'partner', id: params.partnerId },
      params.keyId,
      body.graceMinutes,
      principal,
    );
  }

  @Delete(':keyId')
  @RevokeKeyOperation()
  revokeKey(@Param() params: PartnerKeyParamsDto, @CurrentPrincipal() principal: Principal) {
    return this.keys.revoke({ kind: 'partner', id: params.partnerId }, params.keyId, principal);
  }
}
