// The province panel: each target met or not and by how much, coverage by technology, the
// reported figures next to the computed ones, the history of the chosen metric, and the communes
// missing the chosen target ranked by shortfall (each a button that flies there).
import { url } from '../api';
import type { ProvinceFigure } from '../../server/contract/answers';
import { TECHNOLOGIES, type GapRow } from '../../server/contract/rules';
import type { Formatters, Messages } from '../i18n';
import type { ProvinceHistory, SummaryView, TargetStatus } from '../data/province-data';
import { metricSpec, metricTechnology, type MapMetric } from '../data/targets';
import { barChart } from './bars';
import { el, message, replaceKeepingFocus } from './dom';
import { historyChart } from './history-chart';

export interface ProvinceModel {
  metric: MapMetric;
  threshold: number;
  targetLabel: string;
  targetCode: string | null;
  asOf: string | null;
  statuses: TargetStatus[];
  builtInTargets: boolean;
  rollup: ProvinceFigure[] | undefined;
  summary: SummaryView | null | undefined;
  gaps: { rows: GapRow[]; fromServer: boolean } | undefined;
  communesTotal: number;
  history: ProvinceHistory | undefined;
  error?: string;
}

function targetsBlock(model: ProvinceModel, m: Messages, fmt: Formatters): HTMLElement {
  const list = el('ul', 'target-list');
  for (const s of model.statuses) {
    const t = s.target;
    const status = s.met === null ? m.retryLater : s.met ? `✓ ${m.met}` : `✗ ${m.notMet} — ${m.distance(fmt.points(-(s.distancePts ?? 0)))}`;
    list.append(el('li', { class: `target ${s.met === null ? 'unknown' : s.met ? 'met' : 'missed'}`, 'data-target': t.code },
      el('p', 'target-title', m.targetOption(m.metrics[t.metric] ?? t.metric, fmt.pct(t.threshold), t.deadlineYear)),
      el('p', 'target-metric', `${m.tabProvince}: `, el('strong', { 'data-field': 'target-value' }, fmt.pct(s.value))),
      el('p', 'target-status', status),
      t.source ? el('p', 'hint small', `${m.source}: ${t.source}`) : null));
  }
  return el('section', {}, el('h3', {}, m.provinceSummary), list, model.builtInTargets ? el('p', 'hint small', m.builtInTargetNote) : null);
}

function rollupBlock(model: ProvinceModel, m: Messages, fmt: Formatters): HTMLElement | null {
  if (!model.rollup) return message(m.loading);
  const spec = metricSpec(model.metric);
  const weight = spec.kind === 'coverage' ? spec.weight : 'population';
  const rows = TECHNOLOGIES.map((t) => {
    const f = model.rollup!.find((x) => x.technology === t && x.operator === 'all');
    return { label: t, value: f ? (weight === 'area' ? f.areaPct : f.populationPct) : null, emphasis: t === metricTechnology(model.metric) };
  });
  return barChart(rows, model.threshold, fmt, `${m.byTechnology} (${weight === 'area' ? m.measureArea : m.measurePopulation})`, m.targetLine(fmt.pct(model.threshold)));
}

function reportedBlock(model: ProvinceModel, m: Messages, fmt: Formatters): HTMLElement {
  const head = el('h3', {}, m.reportedVsComputed);
  if (model.summary === undefined) return el('section', {}, head, message(m.loading));
  if (model.summary === null) return el('section', {}, head, message(m.retryLater));
  const value = (v: number | null, unit: string) => (v === null ? m.unknown : unit === '%' ? fmt.pct(v) : fmt.integer(v));
  const qualifier = (q: string | null) => (q === 'about' ? '≈ ' : q === 'more_than' ? '> ' : q === 'at_least' ? '≥ ' : '');
  const rows = model.summary.reported.filter((r) => r.metric).map((r) =>
    el('tr', { 'data-reported': r.code }, el('th', { scope: 'row' }, m.reportedLabels[r.code] ?? r.label, el('span', 'hint small block', [r.source.document, r.source.date].join(', '))),
      el('td', {}, `${qualifier(r.qualifier)}${value(r.value, r.unit)}`), el('td', {}, value(r.computed?.value ?? null, r.unit))));
  return el('section', {}, head, el('div', 'table-wrap', el('table', 'reported',
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, ''), el('th', { scope: 'col' }, m.reported), el('th', { scope: 'col' }, m.computed))),
    el('tbody', {}, ...rows))),
  model.summary.syntheticStations ? el('p', 'notice demo small', m.demoNotice) : null,
  model.summary.syntheticFiber ? el('p', 'notice demo small', m.fiberDemoNotice) : null);
}

function gapsBlock(model: ProvinceModel, m: Messages, fmt: Formatters, onFly: (code: string) => void): HTMLElement {
  const head = el('h3', { id: 'missing-h' }, m.missingList(model.targetLabel));
  if (!model.gaps) return el('section', {}, head, message(model.error ? `${m.loadFailed}: ${model.error}` : m.loading, !!model.error));
  const { rows } = model.gaps;
  const fiber = metricSpec(model.metric).kind === 'fiber';
  const list = el('ol', { class: 'missing-list', 'aria-labelledby': 'missing-h' });
  for (const r of rows) {
    const behind = fiber ? (r.householdsToReach !== null ? m.householdsBehind(fmt.integer(r.householdsToReach)) : '') : r.peopleToReach !== null ? m.peopleBehind(fmt.integer(r.peopleToReach)) : '';
    const button = el('button', { type: 'button', class: 'missing-item', id: `missing-${r.code}`, 'data-code': r.code, title: m.flyTo(r.name) },
      el('span', 'missing-name', r.name),
      el('span', 'missing-figures', `${fmt.pct(r.value)} · −${fmt.points(r.shortfallPts)} ${m.unitPoints}`),
      behind ? el('span', 'missing-behind', behind) : null);
    button.addEventListener('click', () => onFly(r.code));
    list.append(el('li', {}, button));
  }
  const exports = model.asOf === null
    ? el('p', 'exports small', `${m.exports}: `,
      el('a', { href: url('/api/gaps', { ...(model.targetCode ? { target: model.targetCode } : { metric: model.metric, threshold: model.threshold }), format: 'csv' }), download: '' }, m.exportCsv), ' · ',
      el('a', { href: url('/api/gaps', { ...(model.targetCode ? { target: model.targetCode } : { metric: model.metric, threshold: model.threshold }), format: 'geojson' }), download: '' }, m.exportGeojson))
    : null;
  return el('section', { class: 'missing' }, head,
    el('p', 'hint', rows.length ? m.missingCount(fmt.integer(rows.length), fmt.integer(model.communesTotal)) : m.noneMissing),
    exports, list);
}

export function renderProvincePanel(box: HTMLElement, model: ProvinceModel, m: Messages, fmt: Formatters, onFly: (code: string) => void): void {
  const caption = `${m.history}: ${m.metrics[model.metric] ?? model.metric}`;
  const chart = model.history ? historyChart(model.history.points, model.metric, model.threshold, fmt, caption) : null;
  replaceKeepingFocus(box,
    el('h2', 'visually-hidden', m.tabProvince),
    targetsBlock(model, m, fmt),
    gapsBlock(model, m, fmt, onFly),
    rollupBlock(model, m, fmt) ?? '',
    reportedBlock(model, m, fmt),
    el('section', {}, el('h3', {}, m.history), chart ?? message(model.history ? m.historyNone : m.loading),
      chart && model.history?.computedOnPage ? el('p', 'hint small', m.historyComputed) : ''),
  );
}
