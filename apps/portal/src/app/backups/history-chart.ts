import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import {
  BarController,
  BarElement,
  CategoryScale,
  type ChartConfiguration,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { BaseChartDirective, provideCharts } from 'ng2-charts';

/** A chart's data as a table: its text alternative, for screen readers (and tests). */
export interface ChartTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/**
 * One chart of the backup history in a figure: a title, a sentence that says what the chart
 * shows (also the canvas' accessible name), and the data as a visually hidden table.
 */
@Component({
  selector: 'eb-history-chart',
  imports: [BaseChartDirective],
  // Only the parts of Chart.js these charts draw, not its whole registry.
  providers: [
    provideCharts({
      registerables: [
        BarController,
        BarElement,
        CategoryScale,
        Legend,
        LinearScale,
        LineController,
        LineElement,
        PointElement,
        Tooltip,
      ],
    }),
  ],
  template: `
    <figure>
      <figcaption>
        <h3>{{ heading() }}</h3>
        <p class="summary">{{ summary() }}</p>
      </figcaption>
      <div class="canvas-box">
        <canvas
          baseChart
          role="img"
          [attr.aria-label]="heading() + ': ' + summary()"
          [type]="config().type"
          [data]="config().data"
          [options]="config().options"
        ></canvas>
      </div>
      <!-- A table is at least as wide as its cells whatever its width: hidden inside a block. -->
      <div class="visually-hidden">
        <table>
          <caption>
            {{
              heading()
            }}
          </caption>
          <thead>
            <tr>
              @for (column of table().columns; track $index) {
                <th scope="col">{{ column }}</th>
              }
            </tr>
          </thead>
          <tbody>
            @for (row of table().rows; track $index) {
              <tr>
                @for (cell of row; track $index) {
                  @if ($first) {
                    <th scope="row">{{ cell }}</th>
                  } @else {
                    <td>{{ cell }}</td>
                  }
                }
              </tr>
            }
          </tbody>
        </table>
      </div>
    </figure>
  `,
  styles: `
    :host {
      display: block;
      min-width: 0;
    }
    figure {
      margin: 0;
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    h3 {
      margin: 0;
      font: var(--mat-sys-title-small);
    }
    .summary {
      margin: 2px 0 0;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .canvas-box {
      position: relative;
      height: 220px;
      min-width: 0;
    }
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      margin: -1px;
      padding: 0;
      border: 0;
      overflow: hidden;
      clip: rect(0 0 0 0);
      clip-path: inset(50%);
      white-space: nowrap;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HistoryChart {
  readonly heading = input.required<string>();
  /** One or two sentences: what the chart shows, in words. */
  readonly summary = input.required<string>();
  readonly config = input.required<ChartConfiguration<'line' | 'bar'>>();
  readonly table = input.required<ChartTable>();
}
