import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  input,
  linkedSignal,
  output,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatSnackBar } from '@angular/material/snack-bar';
import {
  type CollectionPermissionStatus,
  collectionLabel,
  OBJECT_TYPES,
  type ObjectTypeKey,
  allObjectTypesOff,
} from '@entra-backup/common';
import { describeApiError } from '../core/http/api-error';
import { SettingsApi, tenantSettingsResource } from './settings.api';

/**
 * The 14 object types of one tenant as switches, each with whether the permissions it needs are
 * granted. Switches stay disabled until admin consent is granted. Each switch saves on its own,
 * right away; it shows the new state while the request runs and falls back if it fails.
 */
@Component({
  selector: 'eb-object-types-card',
  imports: [MatButtonModule, MatCardModule, MatIconModule, MatProgressBarModule, MatSlideToggleModule],
  templateUrl: './object-types-card.html',
  styleUrl: './object-types-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ObjectTypesCard {
  private readonly api = inject(SettingsApi);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);

  readonly tenantId = input.required<string>();
  /** The principal may see the settings but not change them (e.g. a partner's Viewer). */
  readonly readOnly = input(false);
  /** After a switch was saved (the schedule may have changed). */
  readonly changed = output<void>();

  protected readonly objectTypes = OBJECT_TYPES;
  protected readonly settings = tenantSettingsResource(this.tenantId);

  /**
   * What the switches show: the server's settings plus the changes being saved. Reset from
   * the server whenever the settings (re)load, e.g. when another tenant is chosen.
   */
  protected readonly enabledTypes = linkedSignal<Record<ObjectTypeKey, boolean>>(() =>
    this.settings.hasValue() ? this.settings.value().enabledTypes : allObjectTypesOff(),
  );
  /** Types whose change is being saved; their switches are disabled meanwhile. Per tenant. */
  protected readonly saving = linkedSignal<string, ReadonlySet<ObjectTypeKey>>({
    source: this.tenantId,
    computation: () => new Set(),
  });

  protected readonly consentGranted = computed(
    () => this.settings.hasValue() && this.settings.value().consentGranted,
  );

  protected readonly enabledCount = computed(
    () => Object.values(this.enabledTypes()).filter((enabled) => enabled).length,
  );
  protected readonly errorMessage = computed(() => {
    const error = this.settings.error();
    return error === undefined ? undefined : describeApiError(error);
  });

  protected setObjectType(key: ObjectTypeKey, label: string, enabled: boolean): void {
    const tenantId = this.tenantId();
    const previous = this.enabledTypes()[key];
    this.enabledTypes.update((types) => ({ ...types, [key]: enabled }));
    this.saving.update((keys) => new Set(keys).add(key));
    this.api
      .setObjectType(tenantId, key, enabled)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (saved) => {
          this.finishSaving(tenantId, key, saved.enabledTypes[key]);
          this.changed.emit();
          this.snackBar.open(
            `${label} ${saved.enabledTypes[key] ? 'will be backed up' : 'will not be backed up'}`,
            'Close',
            {
              duration: 3000,
            },
          );
        },
        error: (error: unknown) => {
          this.finishSaving(tenantId, key, previous);
          this.snackBar.open(`Could not save ${label}: ${describeApiError(error)}`, 'Close', {
            duration: 8000,
            politeness: 'assertive',
          });
        },
      });
  }

  /**
   * A collection needing permissions beyond its type's, e.g. "authentication methods:
   * UserAuthenticationMethod.Read.All — not granted, that collection is skipped". Without them the
   * type is still backed up, only that collection is not.
   */
  protected collectionText(collection: CollectionPermissionStatus): string {
    const names = collection.permissions.map((p) => p.permission).join(', ');
    const label = collectionLabel(collection.collection);
    if (collection.granted) return `${label}: ${names} — granted`;
    const missing = collection.permissions.filter((p) => !p.granted).map((p) => p.permission);
    const which = missing.length === collection.permissions.length ? '' : ` (${missing.join(', ')})`;
    return `${label}: ${names} — not granted${which}, that collection is skipped`;
  }

  /** Reloads from the server (e.g. after consent was granted elsewhere). */
  reload(): void {
    this.settings.reload();
  }

  protected reloadSettings(): void {
    this.settings.reload();
  }

  private finishSaving(tenantId: string, key: ObjectTypeKey, enabled: boolean): void {
    // The card may show another tenant by now (the admin switched tenants mid-save); its
    // switches were reset from the server and must not take this answer.
    if (tenantId !== this.tenantId()) return;
    this.enabledTypes.update((types) => ({ ...types, [key]: enabled }));
    this.saving.update((keys) => {
      const next = new Set(keys);
      next.delete(key);
      return next;
    });
  }
}
