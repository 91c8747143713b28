import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { buildErrorBody, buildTenant } from '../testing/builders';
import { TENANTS_URL } from './tenants.api';
import { TenantsPage } from './tenants-page';

describe(TenantsPage.name, () => {
  let fixture: ComponentFixture<TenantsPage>;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [TenantsPage],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(TenantsPage);
    fixture.detectChanges();
  });

  afterEach(() => http.verify());

  function text(): string {
    return (fixture.nativeElement as HTMLElement).textContent ?? '';
  }

  function query(selector: string): Element | null {
    return (fixture.nativeElement as HTMLElement).querySelector(selector);
  }

  async function answerList(body: object, init?: { status: number; statusText: string }): Promise<void> {
    http.expectOne({ method: 'GET', url: TENANTS_URL }).flush(body, init);
    await fixture.whenStable();
  }

  it('shows a progress bar while the tenants load', async () => {
    expect(query('mat-progress-bar')).not.toBeNull();

    await answerList({ items: [] });

    expect(query('mat-progress-bar')).toBeNull();
  });

  it('explains how to add a tenant when there is none', async () => {
    await answerList({ items: [] });

    expect(text()).toContain('No tenants yet.');
    expect(text()).toContain('npx entra-backup tenant add <tenantId> --name <name>');
    expect(query('table')).toBeNull();
  });

  it('lists the tenants with name, id and date added, linking to their settings', async () => {
    const tenant = buildTenant({ displayName: 'Fabrikam', tenantId: '11111111-2222-3333-4444-555555555555' });

    await answerList({ items: [tenant] });

    const cells = Array.from(fixture.nativeElement.querySelectorAll('td') as NodeListOf<HTMLElement>).map(
      (td) => td.textContent?.trim(),
    );
    expect(cells[0]).toBe('Fabrikam');
    expect(cells[1]).toBe('11111111-2222-3333-4444-555555555555');
    expect(cells[2]).toContain('2026');
    expect(query('td a')?.getAttribute('href')).toBe('/settings/11111111-2222-3333-4444-555555555555');
    expect(text()).not.toContain('No tenants yet.');
  });

  it("shows the API's message when loading fails, and retries on request", async () => {
    await answerList(buildErrorBody(500, 'INTERNAL', 'The database is not reachable'), {
      status: 500,
      statusText: 'Internal Server Error',
    });

    expect(query('[role="alert"]')?.textContent).toContain('The database is not reachable');
    expect(text()).not.toContain('correlationId');

    (query('[role="alert"] button') as HTMLButtonElement).click();
    fixture.detectChanges();
    await answerList({ items: [buildTenant()] });

    expect(query('[role="alert"]')).toBeNull();
    expect(text()).toContain('Contoso');
  });

  it('reports a list that does not match the shared contract instead of rendering it', async () => {
    await answerList({ items: [{ tenantId: 7 }] });

    expect(query('[role="alert"]')?.textContent).toMatch(/does not understand/);
    expect(query('table')).toBeNull();
  });

  it('reloads the list after the form adds a tenant', async () => {
    await answerList({ items: [] });
    const root = fixture.nativeElement as HTMLElement;
    const [tenantIdInput, nameInput] = Array.from(root.querySelectorAll('input'));
    tenantIdInput!.value = '11111111-2222-3333-4444-555555555555';
    tenantIdInput!.dispatchEvent(new Event('input'));
    nameInput!.value = 'Fabrikam';
    nameInput!.dispatchEvent(new Event('input'));
    (root.querySelector('button[type="submit"]') as HTMLButtonElement).click();

    const created = buildTenant({
      displayName: 'Fabrikam',
      tenantId: '11111111-2222-3333-4444-555555555555',
    });
    http
      .expectOne({ method: 'POST', url: TENANTS_URL })
      .flush(created, { status: 201, statusText: 'Created' });
    // Not whenStable(): the reloading list keeps the app unstable until its request is answered.
    TestBed.tick();
    await answerList({ items: [created] });

    expect(text()).toContain('Fabrikam');
    expect(text()).not.toContain('No tenants yet.');
  });
});
