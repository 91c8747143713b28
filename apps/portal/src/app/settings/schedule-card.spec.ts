import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { formatDate } from '@angular/common';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { type ScheduleResponse } from '@entra-backup/common';
import { buildSchedule } from '../testing/builders';
import { ScheduleCard } from './schedule-card';
import { scheduleUrl } from './settings.api';

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
/** As the card shows it (white space normalised, as `row()` reads it). */
const time = (iso: string) => formatDate(iso, 'shortTime', 'en-US').replace(/\s+/g, ' ');
const dateTime = (iso: string) => formatDate(iso, 'medium', 'en-US').replace(/\s+/g, ' ');

describe(ScheduleCard.name, () => {
  let fixture: ComponentFixture<ScheduleCard>;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [ScheduleCard],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ScheduleCard);
    fixture.componentRef.setInput('tenantId', TENANT_ID);
    fixture.detectChanges();
  });

  afterEach(() => http.verify());

  async function render(schedule: ScheduleResponse): Promise<void> {
    http.expectOne(scheduleUrl(TENANT_ID)).flush(schedule);
    await fixture.whenStable();
  }

  function row(term: string): string | undefined {
    const rows = Array.from((fixture.nativeElement as HTMLElement).querySelectorAll('dl > div'));
    const match = rows.find((r) => r.querySelector('dt')?.textContent?.trim() === term);
    return match?.querySelector('dd')?.textContent?.replace(/\s+/g, ' ').trim();
  }

  it('names the two times of day of "every 12 hours", the next run being one of them', async () => {
    // Offset 90 minutes: the slots are 01:30 and 13:30 UTC.
    await render(
      buildSchedule({
        offsetMinutes: 90,
        nextRunAt: '2026-11-21T13:30:00.000Z',
        firstFullBackupDueBy: null,
        lastFullBackupAt: '2026-11-20T21:00:00.000Z',
      }),
    );

    const slots = [time('2026-11-21T01:30:00.000Z'), time('2026-11-21T13:30:00.000Z')];
    expect(row('Interval')).toContain('Every 12 hours');
    for (const slot of slots) expect(row('Interval')).toContain(slot);
    expect(row('Next run')).toContain(dateTime('2026-11-21T13:30:00.000Z'));
  });

  it('shows the last full backup, not the first one due, once a full backup exists', async () => {
    await render(buildSchedule({ firstFullBackupDueBy: null, lastFullBackupAt: '2026-11-20T21:00:00.000Z' }));

    expect(row('First full backup due by')).toBeUndefined();
    expect(row('Last full backup')).toContain(dateTime('2026-11-20T21:00:00.000Z'));
    expect(row('Next run')).not.toContain('first full backup');
  });

  it('says that the next run is the first full backup while none exists', async () => {
    await render(
      buildSchedule({
        nextRunAt: '2026-11-20T08:02:00.000Z',
        firstFullBackupDueBy: '2026-11-20T20:00:00.000Z',
        lastFullBackupAt: null,
      }),
    );

    expect(row('Next run')).toContain('first full backup');
    expect(row('First full backup due by')).toContain(dateTime('2026-11-20T20:00:00.000Z'));
  });
});
