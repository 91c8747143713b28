import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  input,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import {
  PARTNER_ROLES,
  PARTNER_ROLE_LABELS,
  type PartnerRole,
  type StaffMember,
  addStaffRequestSchema,
} from '@entra-backup/common';
import { confirmAction } from '../core/confirm-dialog';
import { actorLabel } from '../backups/run-format';
import { describeApiError } from '../core/http/api-error';
import { SessionStore } from '../core/session/session-store';
import { TenantContext } from '../core/tenant/tenant-context';
import { PartnerApi, staffResource } from './partner.api';
import { EmergencyContactsForm } from '../settings/emergency-contacts-form';
import { partnerEmergencyContactsUrl } from '../settings/emergency-access.api';
import { PartnerHeader } from './partner-header';

/** What each role may do, as the page explains it. */
const ROLE_HINTS: Readonly<Record<PartnerRole, string>> = {
  owner: 'manages staff, API keys and customers',
  admin: 'settings, backups, restores, exports, onboarding links and API keys',
  operator: 'backups and restores',
  viewer: 'read only: no secrets, no exports',
};

/**
 * `/partner/:partnerId/staff`: the partner's people and their roles. Owners add people by their
 * sign-in name, change roles and remove people; the others see the list.
 */
@Component({
  selector: 'eb-staff-page',
  imports: [
    DatePipe,
    FormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTooltipModule,
    EmergencyContactsForm,
    PartnerHeader,
  ],
  templateUrl: './staff-page.html',
  styleUrl: './partner-pages.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StaffPage {
  private readonly api = inject(PartnerApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);
  private readonly context = inject(TenantContext);
  private readonly session = inject(SessionStore);

  /** Bound from the route. */
  readonly partnerId = input.required<string>();

  protected readonly roles = PARTNER_ROLES;
  protected readonly roleLabels = PARTNER_ROLE_LABELS;
  protected readonly roleHints = ROLE_HINTS;
  protected readonly actorLabel = actorLabel;
  protected readonly staff = staffResource(this.partnerId);
  protected readonly members = computed(() => (this.staff.hasValue() ? this.staff.value().items : []));
  protected readonly loadError = computed(() => {
    const error = this.staff.error();
    return error === undefined ? undefined : describeApiError(error);
  });
  protected readonly canManage = computed(() => this.context.canOnPartner(this.partnerId(), 'staff:manage'));
  protected readonly contactsUrl = computed(() => partnerEmergencyContactsUrl(this.partnerId()));
  protected readonly canManageContacts = computed(() =>
    this.context.canOnPartner(this.partnerId(), 'emergency:manage'),
  );
  protected readonly me = computed(() => this.session.user()?.upn.toLowerCase());

  protected readonly upn = signal('');
  protected readonly role = signal<PartnerRole>('operator');
  protected readonly adding = signal(false);
  protected readonly addError = signal<string | undefined>(undefined);
  /** Members whose change is being saved. */
  protected readonly saving = signal<ReadonlySet<string>>(new Set());

  protected addMember(): void {
    const parsed = addStaffRequestSchema.safeParse({ upn: this.upn(), role: this.role() });
    if (!parsed.success) {
      this.addError.set(parsed.error.issues[0]?.message ?? 'Check the sign-in name');
      return;
    }
    this.adding.set(true);
    this.addError.set(undefined);
    this.api
      .addStaff(this.partnerId(), parsed.data)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          this.adding.set(false);
          this.upn.set('');
          this.snackBar.open(
            `${parsed.data.upn} was added as ${PARTNER_ROLE_LABELS[parsed.data.role]}`,
            'Close',
            { duration: 4000 },
          );
          this.staff.reload();
        },
        error: (error: unknown) => {
          this.adding.set(false);
          this.addError.set(describeApiError(error));
        },
      });
  }

  protected changeRole(member: StaffMember, role: PartnerRole): void {
    if (role === member.role) return;
    this.markSaving(member.upn, true);
    this.api
      .changeRole(this.partnerId(), member.upn, role)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          this.markSaving(member.upn, false);
          this.snackBar.open(`${member.upn} is now ${PARTNER_ROLE_LABELS[role]}`, 'Close', {
            duration: 4000,
          });
          this.staff.reload();
        },
        error: (error: unknown) => {
          this.markSaving(member.upn, false);
          this.snackBar.open(
            `Could not change the role of ${member.upn}: ${describeApiError(error)}`,
            'Close',
            {
              duration: 8000,
              politeness: 'assertive',
            },
          );
          // The select shows the role chosen; the list read again shows the one kept.
          this.staff.reload();
        },
      });
  }

  protected removeMember(member: StaffMember): void {
    confirmAction(this.dialog, {
      title: `Remove ${member.upn}?`,
      message: `${member.upn} loses access to this partner's customers at their next request.`,
      confirm: 'Remove',
    })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((confirmed) => {
        if (!confirmed) return;
        this.markSaving(member.upn, true);
        this.api
          .removeStaff(this.partnerId(), member.upn)
          .pipe(takeUntilDestroyed(this.destroyRef))
          .subscribe({
            next: () => {
              this.markSaving(member.upn, false);
              this.snackBar.open(`${member.upn} was removed`, 'Close', { duration: 4000 });
              this.staff.reload();
            },
            error: (error: unknown) => {
              this.markSaving(member.upn, false);
              this.snackBar.open(`Could not remove ${member.upn}: ${describeApiError(error)}`, 'Close', {
                duration: 8000,
                politeness: 'assertive',
              });
            },
          });
      });
  }

  protected reload(): void {
    this.staff.reload();
  }

  private markSaving(upn: string, saving: boolean): void {
    this.saving.update((current) => {
      const next = new Set(current);
      if (saving) next.add(upn);
      else next.delete(upn);
      return next;
    });
  }
}
