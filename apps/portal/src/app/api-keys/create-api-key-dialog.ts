import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatRadioModule } from '@angular/material/radio';
import {
  API_KEY_SCOPE_LABELS,
  API_KEY_SCOPES,
  type ApiKeyScope,
  type CreatedApiKey,
  type CreatePartnerApiKeyRequest,
} from '@entra-backup/common';
import { describeApiError } from '../core/http/api-error';
import { ApiKeySecret } from './api-key-secret';
import { type ApiKeyOwner, ApiKeysApi, partnerTenantsResource } from './api-keys.api';

export interface CreateApiKeyDialogData {
  readonly owner: ApiKeyOwner;
}

/**
 * Creates a key: a name, its scopes, an optional expiry and, for a partner, optionally only some
 * of its customer tenants. Then shows the key once. Closes with the created key (or nothing).
 */
@Component({
  selector: 'eb-create-api-key-dialog',
  imports: [
    FormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatRadioModule,
    ApiKeySecret,
  ],
  templateUrl: './create-api-key-dialog.html',
  styleUrl: './api-key-dialogs.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CreateApiKeyDialog {
  protected readonly data = inject<CreateApiKeyDialogData>(MAT_DIALOG_DATA);
  private readonly api = inject(ApiKeysApi);

  protected readonly scopes = API_KEY_SCOPES;
  protected readonly scopeLabels = API_KEY_SCOPE_LABELS;
  protected readonly isPartner = this.data.owner.kind === 'partner';
  /** The earliest expiry date (tomorrow), as the date input wants it. */
  protected readonly minExpiry = localDate(new Date(Date.now() + 86_400_000));

  protected readonly name = signal('');
  protected readonly chosenScopes = signal<ReadonlySet<ApiKeyScope>>(new Set(['read']));
  protected readonly expiry = signal('');
  protected readonly allTenants = signal(true);
  /** The partner's customer tenants, read once the key is to be limited to some of them. */
  protected readonly partnerTenants = partnerTenantsResource(
    computed(() => (this.isPartner && !this.allTenants() ? this.data.owner.id : undefined)),
  );
  protected readonly chosenTenants = signal<ReadonlySet<string>>(new Set());

  protected readonly creating = signal(false);
  protected readonly error = signal<string | undefined>(undefined);
  protected readonly created = signal<CreatedApiKey | undefined>(undefined);

  protected readonly canCreate = computed(
    () =>
      !this.creating() &&
      this.name().trim() !== '' &&
      this.chosenScopes().size > 0 &&
      (this.allTenants() || this.chosenTenants().size > 0),
  );

  protected toggleScope(scope: ApiKeyScope, on: boolean): void {
    this.chosenScopes.update((current) => toggled(current, scope, on));
  }

  protected toggleTenant(tenantId: string, on: boolean): void {
    this.chosenTenants.update((current) => toggled(current, tenantId, on));
  }

  protected createKey(): void {
    if (!this.canCreate()) return;
    const request: CreatePartnerApiKeyRequest = {
      name: this.name().trim(),
      // In the order the API lists them, whatever order they were ticked in.
      scopes: API_KEY_SCOPES.filter((s) => this.chosenScopes().has(s)),
      ...(this.expiry() === '' ? {} : { expiresAt: endOfLocalDay(this.expiry()) }),
      ...(this.isPartner && !this.allTenants() ? { tenantIds: [...this.chosenTenants()] } : {}),
    };
    this.creating.set(true);
    this.error.set(undefined);
    this.api.createKey(this.data.owner, request).subscribe({
      next: (key) => {
        this.creating.set(false);
        this.created.set(key);
      },
      error: (error: unknown) => {
        this.creating.set(false);
        this.error.set(describeApiError(error));
      },
    });
  }
}

function toggled<T>(set: ReadonlySet<T>, value: T, on: boolean): ReadonlySet<T> {
  const next = new Set(set);
  if (on) next.add(value);
  else next.delete(value);
  return next;
}

/** `YYYY-MM-DD` of a date in the browser's time zone. */
function localDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The last second of a `YYYY-MM-DD` day in the browser's time zone, as ISO 8601. */
export function endOfLocalDay(day: string): string {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  return new Date(year, month - 1, date, 23, 59, 59).toISOString();
}
