import { DatePipe, NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { API_KEY_SCOPE_LABELS, type ApiKey, type ApiKeyScope, mayManageApiKeys } from '@entra-backup/common';
import { actorLabel } from '../backups/run-format';
import { describeApiError } from '../core/http/api-error';
import { SessionStore } from '../core/session/session-store';
import { PartnerHeader } from '../partner/partner-header';
import { type ApiKeyOwner, apiKeyPageResource } from './api-keys.api';
import { CreateApiKeyDialog, type CreateApiKeyDialogData } from './create-api-key-dialog';
import { RevokeApiKeyDialog } from './revoke-api-key-dialog';
import { type ApiKeyDialogData, RotateApiKeyDialog } from './rotate-api-key-dialog';

const DIALOG_SIZE = { maxWidth: '640px', width: 'calc(100vw - 32px)' } as const;

/**
 * The API keys of a tenant (`/settings/:tenantId/api-keys`, for its admins) or of a partner
 * (`/partner/:partnerId/api-keys`, for its Owners and Admins): list, create (the key shown once),
 * rotate and revoke. Others see why they cannot.
 */
@Component({
  selector: 'eb-api-keys-page',
  imports: [
    DatePipe,
    NgTemplateOutlet,
    PartnerHeader,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatProgressBarModule,
    MatTooltipModule,
  ],
  templateUrl: './api-keys-page.html',
  styleUrl: './api-keys-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ApiKeysPage {
  private readonly session = inject(SessionStore);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  /** Bound from the route: one of the two. */
  readonly tenantId = input<string>();
  readonly partnerId = input<string>();

  protected readonly owner = computed<ApiKeyOwner | undefined>(() => {
    const partnerId = this.partnerId();
    if (partnerId !== undefined) return { kind: 'partner', id: partnerId.toLowerCase() };
    const tenantId = this.tenantId();
    return tenantId === undefined ? undefined : { kind: 'tenant', id: tenantId.toLowerCase() };
  });
  protected readonly mayManage = computed(() => {
    const user = this.session.user();
    const owner = this.owner();
    if (user === undefined || owner === undefined) return false;
    return mayManageApiKeys(user, owner.kind === 'tenant' ? { tenantId: owner.id } : { partnerId: owner.id });
  });
  private readonly managedOwner = computed(() => (this.mayManage() ? this.owner() : undefined));
  protected readonly keys = apiKeyPageResource(this.managedOwner);
  protected readonly errorMessage = computed(() => {
    const error = this.keys.error();
    return error === undefined ? undefined : describeApiError(error);
  });
  protected readonly scopeLabels = API_KEY_SCOPE_LABELS;
  protected readonly actorLabel = actorLabel;
  protected readonly ownTenantId = computed(() => this.session.user()?.tenantId);

  protected scopeList(scopes: readonly ApiKeyScope[]): string {
    return scopes.map((s) => API_KEY_SCOPE_LABELS[s].label).join(', ');
  }

  protected createKey(): void {
    const owner = this.managedOwner();
    if (owner === undefined) return;
    const data: CreateApiKeyDialogData = { owner };
    this.dialog
      .open(CreateApiKeyDialog, { ...DIALOG_SIZE, data, disableClose: true })
      .afterClosed()
      .subscribe((created: unknown) => {
        if (created !== undefined) this.keys.reload();
      });
  }

  protected rotateKey(key: ApiKey): void {
    const owner = this.managedOwner();
    if (owner === undefined) return;
    const data: ApiKeyDialogData = { owner, key };
    this.dialog
      .open(RotateApiKeyDialog, { ...DIALOG_SIZE, data, disableClose: true })
      .afterClosed()
      .subscribe((rotated: unknown) => {
        if (rotated !== undefined) this.keys.reload();
      });
  }

  protected revokeKey(key: ApiKey): void {
    const owner = this.managedOwner();
    if (owner === undefined) return;
    const data: ApiKeyDialogData = { owner, key };
    this.dialog
      .open(RevokeApiKeyDialog, { ...DIALOG_SIZE, data })
      .afterClosed()
      .subscribe((revoked: unknown) => {
        if (revoked === undefined) return;
        this.keys.reload();
        this.snackBar.open(`${key.name} (${key.prefix}) was revoked`, 'Close', { duration: 5000 });
      });
  }

  protected reload(): void {
    this.keys.reload();
  }
}
