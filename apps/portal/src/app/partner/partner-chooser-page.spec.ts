import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { SessionResponse } from '@entra-backup/common';
import { SessionStore } from '../core/session/session-store';
import { TENANT_CONTEXT_STORAGE } from '../core/tenant/tenant-context';
import { PARTNER_ID, buildStaffSession } from '../testing/builders';
import { loadSession } from '../testing/session';
import { PartnerChooserPage } from './partner-chooser-page';
import { PARTNER_ROUTES } from './partner.routes';

const OTHER_PARTNER = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';

describe(PartnerChooserPage.name, () => {
  let harness: RouterTestingHarness;

  async function open(session: SessionResponse): Promise<void> {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([{ path: 'partner', children: PARTNER_ROUTES }], withComponentInputBinding()),
        { provide: TENANT_CONTEXT_STORAGE, useValue: null },
      ],
    });
    await loadSession(TestBed.inject(SessionStore), TestBed.inject(HttpTestingController), session);
    harness = await RouterTestingHarness.create('/partner');
  }

  it("lists the person's partners with their role there, each opening its dashboard", async () => {
    await open(
      buildStaffSession({
        tenantAdmin: true,
        partners: [
          { partnerId: PARTNER_ID, partnerName: 'Northwind IT', role: 'owner' },
          { partnerId: OTHER_PARTNER, partnerName: 'Tailspin Services', role: 'viewer' },
        ],
      }),
    );

    const links = Array.from(harness.routeNativeElement!.querySelectorAll<HTMLAnchorElement>('a.partner'));
    expect(links.map((a) => a.getAttribute('aria-label'))).toEqual([
      'Northwind IT, your role: Owner',
      'Tailspin Services, your role: Viewer',
    ]);
    expect(links.map((a) => a.querySelector('.name')?.textContent?.trim())).toEqual([
      'Northwind IT',
      'Tailspin Services',
    ]);
    expect(links[1]!.getAttribute('href')).toBe(`/partner/${OTHER_PARTNER}`);
    expect(harness.routeNativeElement!.textContent).toContain('Or open your own tenant.');
  });

  it("goes straight to the dashboard of the person's only partner", async () => {
    await open(buildStaffSession());

    expect(TestBed.inject(Router).url).toBe(`/partner/${PARTNER_ID}`);
  });
});
