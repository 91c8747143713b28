import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorBodyDto } from '../../core/errors/error-body.dto';
import type { Actor } from '../audit/audit-action';
import { CurrentActor, Requires } from '../auth/access.decorator';
import {
  AddStaffDto,
  ChangeStaffDto,
  PartnerIdParamsDto,
  StaffListDto,
  StaffMemberDto,
  StaffParamsDto,
} from './partners.dto';
import { PartnersService } from './partners.service';

@ApiTags('partners')
@ApiForbiddenResponse({
  type: ErrorBodyDto,
  description: 'TENANT_FORBIDDEN (not this partner), PERMISSION_DENIED (not an Owner) or CSRF_TOKEN_INVALID',
})
@Controller('partners/:partnerId/staff')
export class PartnerStaffController {
  constructor(private readonly partners: PartnersService) {}

  @Get()
  @Requires('staff:manage')
  @ApiOperation({ summary: "The partner's staff and their roles" })
  @ApiOkResponse({ type: StaffListDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'PARTNER_NOT_FOUND' })
  listStaff(@Param() params: PartnerIdParamsDto) {
    return this.partners.listStaff(params.partnerId);
  }

  @Post()
  @Requires('staff:manage')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Add a person to the staff by sign-in name; their own tenant is bound at their first sign-in',
  })
  @ApiCreatedResponse({ type: StaffMemberDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED (upn, role)' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'PARTNER_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'STAFF_EXISTS' })
  addStaff(@Param() params: PartnerIdParamsDto, @Body() body: AddStaffDto, @CurrentActor() actor: Actor) {
    return this.partners.addStaff(params.partnerId, body, actor);
  }

  @Patch(':upn')
  @Requires('staff:manage')
  @ApiOperation({ summary: "Change a staff member's role" })
  @ApiOkResponse({ type: StaffMemberDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED (upn, role)' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'PARTNER_NOT_FOUND or STAFF_NOT_FOUND' })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description: 'STAFF_LAST_OWNER: the last Owner cannot be demoted',
  })
  changeRole(@Param() params: StaffParamsDto, @Body() body: ChangeStaffDto, @CurrentActor() actor: Actor) {
    return this.partners.changeRole(params.partnerId, params.upn, body.role, actor);
  }

  @Delete(':upn')
  @Requires('staff:manage')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove a person from the staff; they lose access at their next request' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED (upn)' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'PARTNER_NOT_FOUND or STAFF_NOT_FOUND' })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description: 'STAFF_LAST_OWNER: the last Owner cannot be removed',
  })
  async removeStaff(@Param() params: StaffParamsDto, @CurrentActor() actor: Actor): Promise<void> {
    await this.partners.removeStaff(params.partnerId, params.upn, actor);
  }
}
