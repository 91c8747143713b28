import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';

const LOOK: Record<string, { icon: string; label: string; tone: string }> = {
  running: { icon: 'sync', label: 'Running', tone: 'info' },
  waiting: { icon: 'schedule', label: 'Waiting', tone: 'neutral' },
  completed: { icon: 'check_circle', label: 'Completed', tone: 'ok' },
  succeeded: { icon: 'check_circle', label: 'Succeeded', tone: 'ok' },
  skipped: { icon: 'remove_circle_outline', label: 'Skipped', tone: 'neutral' },
  partial: { icon: 'warning', label: 'Partial', tone: 'warn' },
  failed: { icon: 'error', label: 'Failed', tone: 'error' },
  interrupted: { icon: 'cancel', label: 'Interrupted', tone: 'error' },
};

/** A run's or a type's status as a coloured chip with an icon and a word (never colour alone). */
@Component({
  selector: 'eb-status-chip',
  imports: [MatIconModule],
  template: `<span class="chip" [class]="'chip ' + look().tone"
    ><mat-icon aria-hidden="true">{{ look().icon }}</mat-icon
    >{{ look().label }}</span
  >`,
  styles: `
    .chip {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      padding: 2px 10px 2px 6px;
      border-radius: 16px;
      font: var(--mat-sys-label-large);
      white-space: nowrap;
    }
    mat-icon {
      font-size: 18px;
      width: 18px;
      height: 18px;
    }
    .ok {
      background: #dff3e4;
      color: #11552a;
    }
    .info {
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }
    .warn {
      background: #fff0c2;
      color: #5c4300;
    }
    .error {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .neutral {
      background: var(--mat-sys-surface-container-high);
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StatusChip {
  readonly status = input.required<string>();
  protected readonly look = computed(
    () => LOOK[this.status()] ?? { icon: 'help_outline', label: this.status(), tone: 'neutral' },
  );
}
