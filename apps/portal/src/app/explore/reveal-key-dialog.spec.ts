import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { revealUrl } from './explore.api';
import { RevealKeyDialog, type RevealKeyDialogData } from './reveal-key-dialog';

describe(RevealKeyDialog.name, () => {
  const data: RevealKeyDialogData = {
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    snapshot: '6',
    keyId: 'b1a2c3d4-0000-4000-8000-000000000001',
    device: 'LAPTOP-EEA4EF9',
  };
  const key = '240426-723607-699017-852358-451063-314112-235100-455085';

  it('shows the revealed key whole, breakable only between its groups of digits', async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: MAT_DIALOG_DATA, useValue: data },
        { provide: MatDialogRef, useValue: { close: () => undefined } },
      ],
    });
    const http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(RevealKeyDialog);
    const sut = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();

    const reveal = Array.from(sut.querySelectorAll('button')).find(
      (b) => b.textContent?.trim() === 'Reveal key',
    )!;
    reveal.click();
    http
      .expectOne({ method: 'POST', url: revealUrl(data.tenantId, data.snapshot, data.keyId) })
      .flush({ id: data.keyId, deviceId: null, key });
    await fixture.whenStable();

    const shown = sut.querySelector('[aria-label="Recovery key"]')!;
    expect(shown.textContent?.trim()).toBe(key);
    // One line-break opportunity after each hyphen, none inside a group (no `break-all`).
    const breaks = Array.from(shown.querySelectorAll('wbr')).map((wbr) => wbr.previousSibling?.textContent);
    expect(breaks).toEqual(
      key
        .split('-')
        .slice(0, -1)
        .map((group) => `${group}-`),
    );
    http.verify();
  });
});
