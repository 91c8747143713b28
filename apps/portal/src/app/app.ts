import { ChangeDetectionStrategy, Component } from '@angular/core';
import { Shell } from './core/shell/shell';

@Component({
  selector: 'eb-root',
  imports: [Shell],
  template: '<eb-shell />',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {}
