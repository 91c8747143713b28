import { type HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { Component } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MatMenuHarness } from '@angular/material/menu/testing';
import { Router, provideRouter } from '@angular/router';
import { Shell } from './shell';

@Component({ template: '<p>home page</p>' })
class HomeStub {}

@Component({ template: '<p>settings page</p>' })
class SettingsStub {}

describe(Shell.name, () => {
  let fixture: ComponentFixture<Shell>;
  let loader: HarnessLoader;
  let router: Router;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [Shell],
      providers: [
        provideRouter([
          { path: '', component: HomeStub },
          { path: 'settings', component: SettingsStub },
        ]),
      ],
    });
    fixture = TestBed.createComponent(Shell);
    loader = TestbedHarnessEnvironment.loader(fixture);
    router = TestBed.inject(Router);
    await router.navigateByUrl('/settings');
    await fixture.whenStable();
  });

  function root(): HTMLElement {
    return fixture.nativeElement as HTMLElement;
  }

  it('shows the product title', () => {
    expect(root().querySelector('mat-toolbar')?.textContent).toContain('Entra Backup');
  });

  it('opens the product menu from the labelled top-left button and goes home from it', async () => {
    const menu = await loader.getHarness(MatMenuHarness.with({ selector: '[aria-label="Product menu"]' }));

    await menu.open();
    const items = await menu.getItems();
    expect(await Promise.all(items.map((i) => i.getText()))).toEqual(['backupBackup for Entra ID']);

    await items[0]!.click();
    await fixture.whenStable();
    expect(router.url).toBe('/');
    expect(root().textContent).toContain('home page');
  });

  it('opens Settings from the labelled gear button', async () => {
    await router.navigateByUrl('/');
    await fixture.whenStable();

    const gear = root().querySelector<HTMLAnchorElement>('a[aria-label="Settings"]');
    expect(gear?.getAttribute('href')).toBe('/settings');
    gear!.click();
    await fixture.whenStable();

    expect(router.url).toBe('/settings');
    expect(root().textContent).toContain('settings page');
  });

  it('offers a skip link to the main content for keyboard users', () => {
    const skip = root().querySelector<HTMLAnchorElement>('a.skip-link');
    expect(skip?.getAttribute('href')).toBe('#main-content');
    expect(root().querySelector('main#main-content')).not.toBeNull();
  });
});
