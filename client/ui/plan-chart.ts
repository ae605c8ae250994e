// The plan's chart: the target metric (points) against the number of sites built, the target as a
// dashed line, the site at which it is met marked; the same numbers in a table for screen readers.
// Drawn as history-chart.ts draws (a small SVG, no chart library).
import type { Formatters } from '../i18n';
import type { Messages } from '../i18n';
import { linearScale, planSeries, siteTicks, valueDomain } from '../data/plan';
import type { PlanResult } from '../data/plan-api';
import { SCALE } from '../map/choropleth';
import { el, svg } from './dom';

const W = 320;
const H = 150;
const PAD = { left: 38, right: 10, top: 10, bottom: 30 };
/** Table rows for screen readers beyond which only every k-th site is listed. */
const TABLE_ROWS = 40;

export function planChart(result: PlanResult, metricLabel: string, m: Messages, fmt: Formatters): HTMLElement {
  const p = m.plan;
  const series = planSeries(result);
  const n = series[series.length - 1].sites;
  const [lo, hi] = valueDomain(series.map((s) => s.value), result.threshold);
  const x = linearScale(0, Math.max(1, n), PAD.left, W - PAD.right);
  const y = linearScale(lo, hi, H - PAD.bottom, PAD.top);
  const caption = p.chartCaption(metricLabel);

  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'history-svg plan-svg', role: 'img', 'aria-label': caption, 'data-testid': 'plan-chart' });
  for (const v of [lo, (lo + hi) / 2, hi]) {
    chart.append(
      svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: 'grid' }),
      svg('text', { x: PAD.left - 4, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, fmt.pct(v)),
    );
  }
  for (const t of siteTicks(n)) chart.append(svg('text', { x: x(t), y: H - PAD.bottom + 12, 'text-anchor': 'middle', class: 'axis' }, fmt.integer(t)));
  chart.append(svg('text', { x: (PAD.left + W - PAD.right) / 2, y: H - 4, 'text-anchor': 'middle', class: 'axis' }, p.chartX));
  const target = svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(result.threshold), y2: y(result.threshold), class: 'target', 'data-testid': 'plan-target-line' });
  target.append(svg('title', {}, p.chartTarget(fmt.pct(result.threshold))));
  chart.append(target);
  if (result.sitesNeeded !== null) {
    const at = x(result.sitesNeeded);
    const mark = svg('line', { x1: at, x2: at, y1: PAD.top, y2: H - PAD.bottom, class: 'needed', 'data-testid': 'plan-needed-mark' });
    mark.append(svg('title', {}, p.sitesNeeded(result.sitesNeeded)));
    chart.append(mark, svg('text', { x: at, y: PAD.top + 8, 'text-anchor': at > W / 2 ? 'end' : 'start', dx: at > W / 2 ? -3 : 3, class: 'axis' }, p.sitesNeeded(result.sitesNeeded)));
  }
  chart.append(svg('polyline', { points: series.map((s) => `${x(s.sites).toFixed(1)},${y(s.value).toFixed(1)}`).join(' '), class: 'series', stroke: SCALE.high }));

  const step = Math.max(1, Math.ceil(series.length / TABLE_ROWS));
  const table = el('table', 'visually-hidden', el('caption', {}, caption), el('tr', {}, el('th', { scope: 'col' }, p.chartX), el('th', { scope: 'col' }, metricLabel)));
  series.forEach((s, i) => {
    if (i % step === 0 || i === series.length - 1) table.append(el('tr', {}, el('th', { scope: 'row' }, fmt.integer(s.sites)), el('td', {}, fmt.pct(s.value))));
  });
  return el('figure', 'history plan-chart', el('figcaption', {}, caption), chart, table);
}
