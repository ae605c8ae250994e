// The commune panel: who lives there, how it is covered (by technology and by operator, against
// the target), its fiber, its stations, the shortfall and the people behind it, its history, and
// the downloads. Every figure is the API's, formatted for the language.
import type { CommuneSummary, TechFigure } from '../../server/contract/answers';
import { TECHNOLOGIES, type Technology } from '../../server/contract/rules';
import { url } from '../api';
import type { Formatters, Messages } from '../i18n';
import type { CommuneData } from '../data/commune-data';
import { stationCounts } from '../data/commune-data';
import { shortfallOf } from '../data/figures';
import { OPERATORS, operatorColour, operatorName } from '../data/operators';
import { metricSpec, metricTechnology, type MapMetric } from '../data/targets';
import { barChart } from './bars';
import { defList, el, message, replaceKeepingFocus } from './dom';
import { historyChart } from './history-chart';

export interface CommunePanelModel {
  commune: CommuneSummary;
  data: CommuneData;
  metric: MapMetric;
  threshold: number;
  /** The choropleth's value of this commune (fallback while the panel's own figures load). */
  mapValue: number | null;
  technology: Technology | 'all';
  operator: string;
  asOf: string | null;
  today: string;
  uncoveredKm2: number | null;
}

const pctOf = (f: TechFigure | undefined, weight: 'area' | 'population'): number | null => (f ? (weight === 'area' ? f.areaPct : f.populationPct) : null);

function metricValue(model: CommunePanelModel): number | null {
  const spec = metricSpec(model.metric);
  if (spec.kind === 'fiber') {
    const fiber = model.data.fiber;
    return (spec.measure === 'passed' ? fiber?.passedPct : fiber?.householdsPct) ?? model.mapValue;
  }
  const f = model.data.coverage?.technologies[spec.technology];
  return f ? pctOf(f, spec.weight) : model.data.coverage ? 0 : model.mapValue;
}

function statusBlock(model: CommunePanelModel, m: Messages, fmt: Formatters): HTMLElement {
  const value = metricValue(model);
  const c = model.commune;
  const box = el('section', { class: 'target-status', 'aria-labelledby': 'target-status-h' },
    el('h3', { id: 'target-status-h' }, m.metrics[model.metric] ?? model.metric),
    el('p', 'big-value', el('span', { 'data-field': 'metric-value' }, fmt.pct(value)), ` · ${m.legendThreshold(fmt.pct(model.threshold))}`));
  if (value === null) return box;
  // Met or not, and the people behind it, by the gaps' own rule.
  const gap = shortfallOf(c, model.metric, model.threshold, value);
  if (!gap) {
    box.classList.add('met');
    box.append(el('p', 'ok', `✓ ${m.meetsTarget}`));
    return box;
  }
  box.classList.add('missed');
  const fiber = metricSpec(model.metric).kind === 'fiber';
  const rows: Array<[string, string | HTMLElement] | null> = [
    [m.shortfall, m.shortfallValue(fmt.points(gap.shortfallPts))],
    gap.peopleToReach !== null ? [m.fieldPopulation, el('span', { 'data-field': 'people-behind' }, m.peopleBehind(fmt.integer(gap.peopleToReach)))] : null,
    gap.householdsToReach !== null ? [m.fieldHouseholds, m.householdsBehind(fmt.integer(gap.householdsToReach))] : null,
    !fiber && model.uncoveredKm2 !== null ? [m.fieldArea, m.uncoveredArea(fmt.points(model.uncoveredKm2))] : null,
  ];
  box.append(defList(rows, 'shortfall'));
  return box;
}

function stationsTable(model: CommunePanelModel, m: Messages, fmt: Formatters): HTMLElement {
  const stations = model.data.stations;
  if (!stations) return message(model.data.errors.stations ? `${m.loadFailed}: ${model.data.errors.stations}` : m.loading, !!model.data.errors.stations);
  const { byOperator, total } = stationCounts(stations, model.asOf ?? model.today);
  const head = el('tr', {}, el('th', { scope: 'col' }, m.operator), ...TECHNOLOGIES.map((t) => el('th', { scope: 'col' }, t)), el('th', { scope: 'col' }, m.stationsTotal));
  const rows = [...byOperator.entries()].sort((a, b) => b[1].any - a[1].any).map(([op, r]) =>
    el('tr', {}, el('th', { scope: 'row' }, operatorName(op)), ...TECHNOLOGIES.map((t) => el('td', {}, fmt.integer(r[t]))), el('td', {}, fmt.integer(r.any))));
  const foot = el('tr', { class: 'total', 'data-field': 'stations-total' }, el('th', { scope: 'row' }, m.stationsTotal),
    ...TECHNOLOGIES.map((t) => el('td', { 'data-tech': t }, fmt.integer(total[t]))), el('td', {}, fmt.integer(total.any)));
  const demo = stations.some((s) => s.isDemo) ? el('p', 'notice demo small', m.demoNotice) : null;
  return el('div', 'table-wrap', el('table', 'counts', el('caption', {}, m.stationCounts), el('thead', {}, head), el('tbody', {}, ...rows), el('tfoot', {}, foot)), demo);
}

function coverageBars(model: CommunePanelModel, m: Messages, fmt: Formatters): HTMLElement[] {
  const cov = model.data.coverage;
  if (!cov) return [message(model.data.errors.coverage ? `${m.loadFailed}: ${model.data.errors.coverage}` : m.loading, !!model.data.errors.coverage)];
  const spec = metricSpec(model.metric);
  const weight = spec.kind === 'coverage' ? spec.weight : 'population';
  const metricTech = metricTechnology(model.metric);
  const measure = weight === 'area' ? m.measureArea : m.measurePopulation;
  const note = m.targetLine(fmt.pct(model.threshold));
  const byTech = barChart(
    TECHNOLOGIES.map((t) => ({ label: t, value: pctOf(cov.technologies[t], weight) ?? 0, emphasis: t === metricTech })),
    model.threshold, fmt, `${m.byTechnology} (${measure})`, note,
  );
  const tech: Technology = model.technology !== 'all' ? model.technology : (metricTech ?? '4G');
  const known = new Set([...OPERATORS.map((o) => o.code), ...Object.keys(cov.operators)]);
  const byOp = barChart(
    [...known].map((op) => ({ label: operatorName(op), colour: operatorColour(op), value: pctOf(cov.operators[op]?.[tech], weight) ?? 0, emphasis: op === model.operator })),
    model.threshold, fmt, `${m.byOperator(tech)} (${measure})`, null,
  );
  return [byTech, byOp];
}

function exportsBlock(model: CommunePanelModel, m: Messages): HTMLElement {
  const code = model.commune.code;
  const tech = metricTechnology(model.metric) ?? '5G';
  const q = { asOf: model.asOf };
  const links: Array<[string, string, boolean]> = [
    [m.exportReport, url(`/api/communes/${code}/report`, q), false],
    [m.exportCsv, url(`/api/communes/${code}/history`, { format: 'csv' }), true],
    [m.exportGeojson, url(`/api/communes/${code}`, {}), true],
    [m.exportUncovered, url(`/api/communes/${code}/gaps`, { technology: tech, operator: model.operator === 'all' ? 'all' : model.operator, ...q }), true],
  ];
  const list = el('ul', 'exports');
  for (const [label, href, download] of links) list.append(el('li', {}, el('a', { href, download: download ? '' : null, target: download ? null : '_blank', rel: 'noopener' }, label)));
  return el('section', 'exports-block', el('h3', {}, m.exports), list);
}

export function renderCommunePanel(box: HTMLElement, model: CommunePanelModel, m: Messages, fmt: Formatters): void {
  const c = model.commune;
  const d = model.data.detail;
  const method = d?.householdsMethod ? m.householdsMethod[d.householdsMethod] ?? d.householdsMethod : null;
  box.dataset.code = c.code;
  const facts = defList([
    [m.fieldKind, `${m.kind[c.kind]} · ${c.code}`],
    [m.fieldPopulation, el('span', { 'data-field': 'population' }, `${fmt.integer(c.population)} ${m.unitPeople}`)],
    [m.fieldHouseholds, el('span', { 'data-field': 'households' }, fmt.integer(c.households), method ? el('span', 'hint small', ` (${method})`) : null)],
    [m.fieldArea, el('span', { 'data-field': 'area' }, fmt.areaKm2(c.areaKm2))],
    d?.householdSize ? [m.fieldHouseholdSize, fmt.points(d.householdSize)] : null,
  ], 'facts');

  const fiber = model.data.fiber;
  const fiberBlock = el('section', 'fiber', el('h3', {}, m.fiber),
    fiber ? defList([[m.fiber, el('span', { 'data-field': 'fiber' }, fmt.pct(fiber.householdsPct))], [m.fiberPassed, fmt.pct(fiber.passedPct)]]) : message(model.data.fiber === null ? m.retryLater : m.loading),
    fiber?.synthetic ? el('p', 'notice demo small', m.fiberDemoNotice) : '');

  const history = model.data.history;
  const caption = `${m.history}: ${m.metrics[model.metric] ?? model.metric}`;
  const chart = history ? historyChart(history.points, model.metric, model.threshold, fmt, caption) : null;
  const historyBlock = el('section', 'history-block', el('h3', {}, m.history),
    chart ?? message(history ? m.historyNone : model.data.errors.history ? `${m.loadFailed}: ${model.data.errors.history}` : m.loading),
    chart && history?.computedOnPage ? el('p', 'hint small', m.historyComputed) : '');

  const cov = model.data.coverage;
  replaceKeepingFocus(box,
    el('header', 'panel-head', el('h2', { class: 'commune-name', id: 'commune-name', tabindex: -1 }, c.fullName),
      el('button', { type: 'button', class: 'close', id: 'commune-close', 'aria-label': m.close, title: m.close }, '×')),
    facts,
    statusBlock(model, m, fmt),
    ...coverageBars(model, m, fmt),
    fiberBlock,
    el('section', 'stations', stationsTable(model, m, fmt)),
    historyBlock,
    exportsBlock(model, m),
    cov ? el('p', 'hint small', m.computedAt(fmt.dateTime(cov.computedAt)), cov.stale ? ` ${m.stale}` : '') : '',
  );
}
