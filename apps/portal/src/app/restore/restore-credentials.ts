import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { Clipboard } from '@angular/cdk/clipboard';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import type { RestoreCredential } from '@entra-backup/common';
import { firstValueFrom } from 'rxjs';
import { describeApiError } from '../core/http/api-error';
import { RestoreApi } from './restore.api';

/**
 * The temporary passwords of users a restore re-created. The API hands them out once: they are
 * shown here until the page is left, with copy buttons, and never again.
 */
@Component({
  selector: 'eb-restore-credentials',
  imports: [MatButtonModule, MatIconModule],
  template: `
    <h3>Temporary passwords</h3>
    @if (credentials(); as items) {
      <div class="notice warn" role="alert">
        <mat-icon aria-hidden="true">warning</mat-icon>
        <p>
          Copy these passwords now and give each to its user through a safe channel.
          <strong>They are shown only once</strong>: leaving this page discards them. Users must change the
          password at their next sign-in.
        </p>
      </div>
      <div class="table-wrap">
        <table class="list">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Temporary password</th>
            </tr>
          </thead>
          <tbody>
            @for (c of items; track c.newId) {
              <tr>
                <td>
                  {{ c.userPrincipalName }}
                  <div class="muted mono">{{ c.newId }}</div>
                </td>
                <td>
                  <code class="password">{{ c.temporaryPassword }}</code>
                  <button
                    mat-icon-button
                    type="button"
                    [attr.aria-label]="'Copy the password of ' + c.userPrincipalName"
                    (click)="copy(c)"
                  >
                    <mat-icon aria-hidden="true">{{
                      copied() === c.newId ? 'check' : 'content_copy'
                    }}</mat-icon>
                  </button>
                </td>
              </tr>
            }
          </tbody>
        </table>
      </div>
    } @else if (gone()) {
      <p class="muted">
        The temporary passwords were already handed out (they are given only once). Reset a user's password in
        Microsoft Entra if it was lost.
      </p>
    } @else {
      <p>
        Re-created users got new temporary passwords. They can be shown <strong>once</strong>; have somewhere
        safe ready to keep them.
      </p>
      <button mat-flat-button type="button" [disabled]="taking()" (click)="showCredentials()">
        <mat-icon aria-hidden="true">key</mat-icon>
        Show the temporary passwords
      </button>
    }
    @if (error(); as message) {
      <p class="error-text" role="alert">{{ message }}</p>
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 8px;
      min-width: 0;
    }
    h3 {
      font: var(--mat-sys-title-small);
      margin: 0;
    }
    p {
      margin: 0;
    }
    .notice {
      display: flex;
      gap: 12px;
      padding: 12px 16px;
      border-radius: 12px;
      background: #fff0c2;
      color: #5c4300;
    }
    .table-wrap {
      overflow-x: auto;
    }
    .list {
      width: 100%;
      border-collapse: collapse;
      th,
      td {
        text-align: left;
        padding: 8px;
        border-bottom: 1px solid var(--mat-sys-outline-variant);
        overflow-wrap: anywhere;
      }
    }
    .password {
      font-size: 1em;
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
    .error-text {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RestoreCredentials {
  private readonly api = inject(RestoreApi);
  private readonly clipboard = inject(Clipboard);

  readonly tenantId = input.required<string>();
  readonly restoreId = input.required<string>();

  protected readonly credentials = signal<readonly RestoreCredential[] | undefined>(undefined);
  protected readonly gone = signal(false);
  protected readonly taking = signal(false);
  protected readonly error = signal<string | undefined>(undefined);
  protected readonly copied = signal<string | undefined>(undefined);

  protected async showCredentials(): Promise<void> {
    this.taking.set(true);
    this.error.set(undefined);
    try {
      const list = await firstValueFrom(this.api.takeCredentials(this.tenantId(), this.restoreId()));
      this.credentials.set(list.items);
    } catch (error) {
      if (error instanceof HttpErrorResponse && error.status === 410) this.gone.set(true);
      else this.error.set(describeApiError(error));
    } finally {
      this.taking.set(false);
    }
  }

  protected copy(credential: RestoreCredential): void {
    if (this.clipboard.copy(credential.temporaryPassword)) this.copied.set(credential.newId);
  }
}
