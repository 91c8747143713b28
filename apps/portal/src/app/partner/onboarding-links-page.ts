import { Clipboard } from '@angular/cdk/clipboard';
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
import { type OnboardingLink, createOnboardingLinkRequestSchema } from '@entra-backup/common';
import { confirmAction } from '../core/confirm-dialog';
import { actorLabel } from '../backups/run-format';
import { describeApiError } from '../core/http/api-error';
import { TenantContext } from '../core/tenant/tenant-context';
import { PartnerApi, onboardingLinksResource } from './partner.api';
import { PartnerHeader } from './partner-header';

const VALIDITY: readonly { hours: number; label: string }[] = [
  { hours: 24, label: '1 day' },
  { hours: 72, label: '3 days' },
  { hours: 168, label: '7 days' },
  { hours: 720, label: '30 days' },
];

const STATUS_LABELS: Readonly<Record<OnboardingLink['status'], string>> = {
  open: 'Open',
  used: 'Used',
  expired: 'Expired',
  revoked: 'Revoked',
};

/**
 * `/partner/:partnerId/onboarding`: links that bring a new customer's tenant under the partner.
 * Admins and Owners create one for a named customer (its URL is shown once, to copy and send),
 * see every link with its status, and revoke open ones.
 */
@Component({
  selector: 'eb-onboarding-links-page',
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
    PartnerHeader,
  ],
  templateUrl: './onboarding-links-page.html',
  styleUrl: './partner-pages.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OnboardingLinksPage {
  private readonly api = inject(PartnerApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly clipboard = inject(Clipboard);
  private readonly destroyRef = inject(DestroyRef);
  private readonly context = inject(TenantContext);

  /** Bound from the route. */
  readonly partnerId = input.required<string>();

  protected readonly validity = VALIDITY;
  protected readonly statusLabels = STATUS_LABELS;
  protected readonly actorLabel = actorLabel;
  protected readonly canOnboard = computed(() =>
    this.context.canOnPartner(this.partnerId(), 'customers:onboard'),
  );
  /** Read only by who may create them (the list is refused to the others). */
  protected readonly links = onboardingLinksResource(
    computed(() => (this.canOnboard() ? this.partnerId() : undefined)),
  );
  protected readonly items = computed(() => (this.links.hasValue() ? this.links.value().items : []));
  protected readonly loadError = computed(() => {
    const error = this.links.error();
    return error === undefined ? undefined : describeApiError(error);
  });

  protected readonly customerName = signal('');
  protected readonly expiresInHours = signal(72);
  protected readonly creating = signal(false);
  protected readonly createError = signal<string | undefined>(undefined);
  /** The link just created, with its URL: shown until the page is left. */
  protected readonly created = signal<OnboardingLink | undefined>(undefined);
  protected readonly revoking = signal<ReadonlySet<string>>(new Set());

  protected createLink(): void {
    const parsed = createOnboardingLinkRequestSchema.safeParse({
      customerName: this.customerName(),
      expiresInHours: this.expiresInHours(),
    });
    if (!parsed.success) {
      this.createError.set(parsed.error.issues[0]?.message ?? 'Check the customer name');
      return;
    }
    this.creating.set(true);
    this.createError.set(undefined);
    this.created.set(undefined);
    this.api
      .createOnboardingLink(this.partnerId(), parsed.data)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (link) => {
          this.creating.set(false);
          this.customerName.set('');
          this.created.set(link);
          this.links.reload();
        },
        error: (error: unknown) => {
          this.creating.set(false);
          this.createError.set(describeApiError(error));
        },
      });
  }

  protected copy(url: string): void {
    const copied = this.clipboard.copy(url);
    this.snackBar.open(copied ? 'Link copied' : 'Could not copy: select the link and copy it', 'Close', {
      duration: 4000,
    });
  }

  protected revoke(link: OnboardingLink): void {
    confirmAction(this.dialog, {
      title: `Revoke the link for ${link.customerName}?`,
      message: 'The link stops working at once; create a new one if the customer still needs it.',
      confirm: 'Revoke link',
    })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((confirmed) => {
        if (!confirmed) return;
        this.markRevoking(link.linkId, true);
        this.api
          .revokeOnboardingLink(this.partnerId(), link.linkId)
          .pipe(takeUntilDestroyed(this.destroyRef))
          .subscribe({
            next: () => {
              this.markRevoking(link.linkId, false);
              if (this.created()?.linkId === link.linkId) this.created.set(undefined);
              this.snackBar.open(`The link for ${link.customerName} was revoked`, 'Close', {
                duration: 4000,
              });
              this.links.reload();
            },
            error: (error: unknown) => {
              this.markRevoking(link.linkId, false);
              this.snackBar.open(`Could not revoke the link: ${describeApiError(error)}`, 'Close', {
                duration: 8000,
                politeness: 'assertive',
              });
            },
          });
      });
  }

  protected reload(): void {
    this.links.reload();
  }

  private markRevoking(linkId: string, on: boolean): void {
    this.revoking.update((current) => {
      const next = new Set(current);
      if (on) next.add(linkId);
      else next.delete(linkId);
      return next;
    });
  }
}
