import {
  type BackupHistoryPoint,
  formatBytes,
  OBJECT_TYPE_KEYS,
  type ObjectTypeKey,
  objectTypeLabel,
} from '@entra-backup/common';
import type { ChartConfiguration } from 'chart.js';
import type { ChartTable } from './history-chart';
import { formatDuration, LOG_TYPES } from './run-format';

/** A chart of the history: its configuration, its summary sentence and its data as a table. */
export interface HistoryFigure {
  readonly heading: string;
  readonly summary: string;
  readonly config: ChartConfiguration<'line' | 'bar'>;
  readonly table: ChartTable;
}

/**
 * Colours for up to 14 series, distinguishable and at least 3:1 against a white surface
 * (WCAG 1.4.11 for graphical objects).
 */
const PALETTE = [
  '#1565c0',
  '#c62828',
  '#2e7d32',
  '#6a1b9a',
  '#ef6c00',
  '#00838f',
  '#ad1457',
  '#4e342e',
  '#283593',
  '#558b2f',
  '#d84315',
  '#37474f',
  '#00695c',
  '#9e6a00',
];

const pointTime = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** "#12 · Dec 7, 10:00": a snapshot as axis label and table row heading. */
export function pointLabel(point: BackupHistoryPoint): string {
  return `#${point.seq} · ${pointTime.format(new Date(point.at))}`;
}

const number = new Intl.NumberFormat('en-US');

const BASE_OPTIONS = {
  responsive: true,
  maintainAspectRatio: false,
  // Drawn once, without motion: also right for people who ask for reduced motion.
  animation: false,
  interaction: { mode: 'index', intersect: false },
  plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
} as const;

// Append-only log types hold thousands of entries where a directory type holds tens of objects:
// they get their own axis, so the directory types' lines stay readable.

/** Types backed up in any of the points, in the product's order. */
function typesIn(points: readonly BackupHistoryPoint[]): ObjectTypeKey[] {
  return OBJECT_TYPE_KEYS.filter((key) => points.some((p) => p.counts[key] !== undefined));
}

export function objectsFigure(points: readonly BackupHistoryPoint[]): HistoryFigure {
  const types = typesIn(points);
  const labels = points.map(pointLabel);
  const changes = types.map((key) => {
    const values = points.map((p) => p.counts[key]).filter((v) => v !== undefined);
    const first = values[0] ?? 0;
    const last = values.at(-1) ?? 0;
    return first === last
      ? `${objectTypeLabel(key)} ${number.format(last)}`
      : `${objectTypeLabel(key)} ${number.format(first)} → ${number.format(last)}`;
  });
  return {
    heading: 'Objects per type',
    summary:
      types.length === 0
        ? 'No objects backed up in this period.'
        : `Objects in each snapshot, first to last: ${changes.join(', ')}.`,
    config: {
      type: 'line',
      data: {
        labels,
        datasets: types.map((key, index) => ({
          label: objectTypeLabel(key),
          data: points.map((p) => p.counts[key] ?? null),
          borderColor: PALETTE[index % PALETTE.length],
          backgroundColor: PALETTE[index % PALETTE.length],
          pointRadius: 2,
          spanGaps: true,
          yAxisID: LOG_TYPES.has(key) ? 'entries' : 'objects',
        })),
      },
      options: {
        ...BASE_OPTIONS,
        scales: {
          objects: {
            type: 'linear',
            position: 'left',
            beginAtZero: true,
            title: { display: true, text: 'Objects' },
          },
          entries: {
            type: 'linear',
            position: 'right',
            display: types.some((key) => LOG_TYPES.has(key)),
            beginAtZero: true,
            grid: { drawOnChartArea: false },
            title: { display: true, text: 'Log entries' },
          },
        },
      },
    },
    table: {
      columns: ['Snapshot', ...types.map(objectTypeLabel)],
      rows: points.map((p) => [
        pointLabel(p),
        ...types.map((key) => (p.counts[key] === undefined ? '—' : number.format(p.counts[key]))),
      ]),
    },
  };
}

export function runsFigure(points: readonly BackupHistoryPoint[]): HistoryFigure {
  const durations = points.map((p) => p.durationMs);
  const requests = points.map((p) => p.requests);
  const range = (values: number[], format: (v: number) => string) =>
    values.length === 0
      ? '—'
      : `${format(Math.min(...values))} to ${format(Math.max(...values))} (last ${format(values.at(-1)!)})`;
  return {
    heading: 'Run duration and Graph requests',
    summary:
      points.length === 0
        ? 'No runs in this period.'
        : `Runs took ${range(durations, formatDuration)}; Graph requests per run ${range(requests, (v) => number.format(v))}.`,
    config: {
      type: 'bar',
      data: {
        labels: points.map(pointLabel),
        datasets: [
          {
            type: 'bar',
            label: 'Duration (s)',
            data: durations.map((ms) => Math.round(ms / 100) / 10),
            backgroundColor: PALETTE[0],
            yAxisID: 'duration',
          },
          {
            type: 'line',
            label: 'Graph requests',
            data: requests,
            borderColor: PALETTE[4],
            backgroundColor: PALETTE[4],
            pointRadius: 2,
            yAxisID: 'requests',
          },
        ],
      },
      options: {
        ...BASE_OPTIONS,
        scales: {
          duration: {
            type: 'linear',
            position: 'left',
            beginAtZero: true,
            title: { display: true, text: 'Seconds' },
          },
          requests: {
            type: 'linear',
            position: 'right',
            beginAtZero: true,
            grid: { drawOnChartArea: false },
            title: { display: true, text: 'Requests' },
          },
        },
      },
    } as ChartConfiguration<'line' | 'bar'>,
    table: {
      columns: ['Snapshot', 'Duration', 'Graph requests'],
      rows: points.map((p) => [pointLabel(p), formatDuration(p.durationMs), number.format(p.requests)]),
    },
  };
}

export function storageFigure(points: readonly BackupHistoryPoint[]): HistoryFigure {
  const first = points[0];
  const last = points.at(-1);
  return {
    heading: 'Storage',
    summary:
      first === undefined || last === undefined
        ? 'Nothing stored in this period.'
        : `Stored in all: ${formatBytes(first.totalBytesStored)} at the first snapshot, ${formatBytes(last.totalBytesStored)} at the last.`,
    config: {
      type: 'line',
      data: {
        labels: points.map(pointLabel),
        datasets: [
          {
            label: 'Stored in all',
            data: points.map((p) => p.totalBytesStored),
            borderColor: PALETTE[2],
            backgroundColor: PALETTE[2],
            pointRadius: 2,
          },
        ],
      },
      options: {
        ...BASE_OPTIONS,
        plugins: {
          ...BASE_OPTIONS.plugins,
          tooltip: { callbacks: { label: (item) => `Stored in all: ${formatBytes(Number(item.raw))}` } },
        },
        scales: { y: { beginAtZero: true, ticks: { callback: (value) => formatBytes(Number(value)) } } },
      },
    },
    table: {
      columns: ['Snapshot', 'Stored by the run', 'Stored in all'],
      rows: points.map((p) => [pointLabel(p), formatBytes(p.bytesStored), formatBytes(p.totalBytesStored)]),
    },
  };
}
