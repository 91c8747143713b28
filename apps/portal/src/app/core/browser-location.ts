import { Injectable } from '@angular/core';

/** Full-page navigation away from the portal (Microsoft's consent page); replaceable in tests. */
@Injectable({ providedIn: 'root' })
export class BrowserLocation {
  assign(url: string): void {
    window.location.assign(url);
  }
}
