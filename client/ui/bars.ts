// Horizontal percentage bars with the target drawn as a vertical line across them. The numbers
// are text next to each bar, so nothing depends on reading the graphic.
import type { Formatters } from '../i18n';
import { SCALE } from '../map/choropleth';
import { el } from './dom';

export interface BarRow {
  label: string;
  /** Points, 0–100; null: no figure. */
  value: number | null;
  /** A dot of this colour before the label (operators). */
  colour?: string;
  /** Marks the row the target applies to. */
  emphasis?: boolean;
}

export function barChart(rows: readonly BarRow[], threshold: number | null, fmt: Formatters, caption: string, targetNote: string | null): HTMLElement {
  const list = el('ul', 'bars');
  for (const row of rows) {
    const track = el('span', { class: 'bar-track', 'aria-hidden': 'true' });
    if (row.value !== null) {
      const fill = el('span', 'bar-fill');
      fill.style.width = `${Math.min(100, Math.max(0, row.value))}%`;
      fill.style.background = threshold !== null && row.value < threshold ? SCALE.low : SCALE.high;
      track.append(fill);
    }
    if (threshold !== null) {
      const line = el('span', 'bar-target');
      line.style.left = `${Math.min(100, Math.max(0, threshold))}%`;
      track.append(line);
    }
    const label = el('span', 'bar-label');
    if (row.colour) {
      const dot = el('span', { class: 'swatch dot', 'aria-hidden': 'true' });
      dot.style.background = row.colour;
      label.append(dot);
    }
    label.append(row.label);
    list.append(el('li', { class: row.emphasis ? 'bar-row emphasis' : 'bar-row' }, label, track, el('span', 'bar-value', fmt.pct(row.value))));
  }
  return el('figure', 'bar-chart', el('figcaption', {}, caption), list, targetNote ? el('p', 'hint small', targetNote) : null);
}
