// A small SVG line chart of one metric over time, with the target as a dashed line, and the same
// numbers in a table for screen readers. No chart library: a few dozen points at most.
import type { HistoryPoint } from '../data/history';
import type { Formatters } from '../i18n';
import { SCALE } from '../map/choropleth';
import { el, svg } from './dom';

const W = 320;
const H = 120;
const PAD = { left: 34, right: 8, top: 8, bottom: 20 };

export function historyChart(points: readonly HistoryPoint[], metric: string, threshold: number | null, fmt: Formatters, caption: string): HTMLElement | null {
  const series = points.filter((p) => typeof p.values[metric] === 'number').map((p) => ({ at: p.at, t: Date.parse(p.at), v: p.values[metric] as number }));
  if (series.length < 2) return null;
  const t0 = series[0].t;
  const t1 = series[series.length - 1].t;
  const x = (t: number) => PAD.left + ((t - t0) / Math.max(1, t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - Math.min(100, Math.max(0, v)) / 100) * (H - PAD.top - PAD.bottom);

  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'history-svg', role: 'img', 'aria-label': caption });
  for (const v of [0, 50, 100]) {
    chart.append(
      svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: 'grid' }),
      svg('text', { x: PAD.left - 4, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, fmt.pct(v)),
    );
  }
  if (threshold !== null) chart.append(svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(threshold), y2: y(threshold), class: 'target' }));
  chart.append(svg('polyline', { points: series.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' '), class: 'series', stroke: SCALE.high }));
  for (const p of series) {
    const dot = svg('circle', { cx: x(p.t).toFixed(1), cy: y(p.v).toFixed(1), r: 2.5, class: 'point' });
    dot.append(svg('title', {}, `${fmt.date(p.at)}: ${fmt.pct(p.v)}`));
    chart.append(dot);
  }
  chart.append(
    svg('text', { x: PAD.left, y: H - 4, class: 'axis' }, fmt.date(series[0].at)),
    svg('text', { x: W - PAD.right, y: H - 4, 'text-anchor': 'end', class: 'axis' }, fmt.date(series[series.length - 1].at)),
  );

  const table = el('table', 'visually-hidden', el('caption', {}, caption));
  for (const p of series) table.append(el('tr', {}, el('th', { scope: 'row' }, fmt.date(p.at)), el('td', {}, fmt.pct(p.v))));
  return el('figure', 'history', el('figcaption', {}, caption), chart, table);
}
