import { ChangeDetectionStrategy, Component, DestroyRef, inject, output, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormGroupDirective, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { GUID_PATTERN, type TenantResponse } from '@entra-backup/common';
import { finalize } from 'rxjs';
import { describeApiError } from '../core/http/api-error';
import { TenantsApi } from './tenants.api';

export const DISPLAY_NAME_MAX_LENGTH = 256;

/** Registers a tenant by its Entra tenant id (a GUID) and a display name. */
@Component({
  selector: 'eb-add-tenant-form',
  imports: [ReactiveFormsModule, MatFormFieldModule, MatInputModule, MatButtonModule, MatProgressSpinnerModule],
  templateUrl: './add-tenant-form.html',
  styleUrl: './add-tenant-form.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AddTenantForm {
  private readonly api = inject(TenantsApi);
  private readonly destroyRef = inject(DestroyRef);

  /** Emits the tenant the server created. */
  readonly tenantAdded = output<TenantResponse>();

  protected readonly displayNameMaxLength = DISPLAY_NAME_MAX_LENGTH;
  protected readonly saving = signal(false);
  protected readonly serverError = signal<string | undefined>(undefined);

  protected readonly form = inject(NonNullableFormBuilder).group({
    tenantId: ['', [Validators.required, Validators.pattern(GUID_PATTERN)]],
    displayName: ['', [Validators.required, Validators.maxLength(DISPLAY_NAME_MAX_LENGTH), blankValidator]],
  });

  protected addTenant(formDirective: FormGroupDirective): void {
    this.serverError.set(undefined);
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { tenantId, displayName } = this.form.getRawValue();
    this.saving.set(true);
    this.api
      .createTenant({ tenantId: tenantId.trim(), displayName: displayName.trim() })
      .pipe(
        finalize(() => this.saving.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (tenant) => {
          // Resetting through the directive also clears its "submitted" flag, so the
          // emptied required fields do not light up red.
          formDirective.resetForm();
          this.tenantAdded.emit(tenant);
        },
        error: (error: unknown) => this.serverError.set(describeApiError(error)),
      });
  }
}

function blankValidator(control: { value: string }): { blank: true } | null {
  return control.value.length > 0 && control.value.trim().length === 0 ? { blank: true } : null;
}
