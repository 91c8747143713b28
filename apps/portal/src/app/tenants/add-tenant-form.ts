import { ChangeDetectionStrategy, Component, DestroyRef, inject, output, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import {
  type AbstractControl,
  FormGroupDirective,
  NonNullableFormBuilder,
  ReactiveFormsModule,
  type ValidationErrors,
  Validators,
} from '@angular/forms';
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
  imports: [
    ReactiveFormsModule,
    MatFormFieldModule,
    MatInputModule,
    MatButtonModule,
    MatProgressSpinnerModule,
  ],
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
    tenantId: ['', [Validators.required, guidValidator]],
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

/** Surrounding spaces are ignored: ids pasted from the admin center often carry them. */
function guidValidator(control: AbstractControl<string>): ValidationErrors | null {
  const value = control.value.trim();
  return value.length > 0 && !GUID_PATTERN.test(value) ? { guid: true } : null;
}

function blankValidator(control: AbstractControl<string>): ValidationErrors | null {
  return control.value.length > 0 && control.value.trim().length === 0 ? { blank: true } : null;
}
