import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { BrowserLocation } from '../core/browser-location';
import { buildConsent, buildErrorBody } from '../testing/builders';
import { ConsentCard } from './consent-card';
import { consentUrl } from './settings.api';

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe(ConsentCard.name, () => {
  let fixture: ComponentFixture<ConsentCard>;
  let http: HttpTestingController;
  let location: { assign: ReturnType<typeof vi.fn> };

  function create(inputs: { result?: string; resultError?: string } = {}): void {
    location = { assign: vi.fn() };
    TestBed.configureTestingModule({
      imports: [ConsentCard],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: BrowserLocation, useValue: location },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ConsentCard);
    fixture.componentRef.setInput('tenantId', TENANT_ID);
    if (inputs.result !== undefined) fixture.componentRef.setInput('result', inputs.result);
    if (inputs.resultError !== undefined) fixture.componentRef.setInput('resultError', inputs.resultError);
    fixture.detectChanges();
  }

  afterEach(() => http.verify());

  function root(): HTMLElement {
    return fixture.nativeElement as HTMLElement;
  }

  function grantButton(): HTMLButtonElement | undefined {
    return Array.from(root().querySelectorAll('button')).find((b) =>
      b.textContent?.includes('Grant admin consent'),
    );
  }

  it("offers to grant consent while it is missing and sends the browser to Microsoft's page", async () => {
    create();
    http.expectOne(consentUrl(TENANT_ID)).flush(buildConsent({ granted: false }));
    await fixture.whenStable();

    expect(root().textContent).toContain('has no admin consent in this tenant yet');
    grantButton()!.click();
    const start = http.expectOne({ method: 'POST', url: `${consentUrl(TENANT_ID)}/start` });
    start.flush({ redirectUrl: 'https://login.example/t/v2.0/adminconsent?state=s' });
    await fixture.whenStable();

    expect(location.assign).toHaveBeenCalledWith('https://login.example/t/v2.0/adminconsent?state=s');
  });

  it('lists the granted read and write permissions and offers no button once granted', async () => {
    create({ result: 'granted' });
    http.expectOne(consentUrl(TENANT_ID)).flush(buildConsent({ granted: true }));
    await fixture.whenStable();

    expect(root().querySelector('[role="status"]')?.textContent).toContain('Admin consent granted.');
    expect(root().querySelector('section[aria-label="Read permissions"]')?.textContent).toContain(
      'User.Read.All',
    );
    expect(root().querySelector('section[aria-label="Write permissions"]')?.textContent).toContain(
      'User.ReadWrite.All',
    );
    expect(root().querySelectorAll('li.granted')).toHaveLength(3);
    expect(grantButton()).toBeUndefined();
  });

  it("shows a failed consent's reason in plain words", async () => {
    create({ result: 'failed', resultError: 'The administrator declined to grant the permissions.' });
    http.expectOne(consentUrl(TENANT_ID)).flush(buildConsent({ granted: false }));
    await fixture.whenStable();

    expect(root().querySelector('[role="alert"]')?.textContent).toContain(
      'Admin consent was not granted. The administrator declined to grant the permissions.',
    );
    expect(grantButton()).toBeDefined();
  });

  it("shows the server's message when consent cannot be started", async () => {
    create();
    http.expectOne(consentUrl(TENANT_ID)).flush(buildConsent({ granted: false }));
    await fixture.whenStable();

    grantButton()!.click();
    http
      .expectOne({ method: 'POST', url: `${consentUrl(TENANT_ID)}/start` })
      .flush(buildErrorBody(503, 'SIGN_IN_NOT_CONFIGURED', 'Sign-in is not configured'), {
        status: 503,
        statusText: 'Service Unavailable',
      });
    await fixture.whenStable();

    expect(root().textContent).toContain('Could not start admin consent: Sign-in is not configured');
    expect(grantButton()?.disabled).toBe(false);
    expect(location.assign).not.toHaveBeenCalled();
  });
});
