// The filter bar: metric and target of the choropleth, technology and operator of the stations
// and the coverage overlay, the date, and the two overlay switches. Native form controls, so
// keyboard use and screen-reader labels come for free.
import { TECHNOLOGIES, type Technology } from '../../server/contract/rules';
import type { Target } from '../data/targets';
import type { Formatters, Messages } from '../i18n';
import { MAP_METRICS, type MapMetric } from '../data/targets';
import { OPERATORS } from '../data/operators';
import type { AppState, Store } from '../state';
import { el, select } from './dom';

export const EARLIEST_AS_OF = '2004-01-01';

export interface ControlsContext {
  m: Messages;
  fmt: Formatters;
  targets: readonly Target[];
  today: string;
}

/** Targets for a metric, then the custom threshold. */
export function targetOptions(ctx: ControlsContext, metric: MapMetric): Array<[string, string]> {
  const options: Array<[string, string]> = ctx.targets
    .filter((t) => t.metric === metric)
    .map((t) => [t.id, ctx.m.targetShort(ctx.fmt.pct(t.threshold), t.deadlineYear)]);
  options.push(['custom', ctx.m.customTarget]);
  return options;
}

function field(label: string, control: HTMLElement, className = 'field'): HTMLElement {
  return el('div', className, el('label', { for: control.id }, label), control);
}

function checkbox(id: string, label: string, checked: boolean): HTMLElement {
  const input = el('input', { type: 'checkbox', id, checked });
  return el('div', 'field check', input, el('label', { for: id }, label));
}

/** Builds the controls for a language; returns `sync` to show a new state without rebuilding. */
export function renderControls(form: HTMLElement, store: Store, ctx: ControlsContext): (s: Readonly<AppState>) => void {
  const { m } = ctx;
  const s = store.get();
  const metric = select('metric', MAP_METRICS.map((k) => [k, m.metrics[k] ?? k]), s.metric);
  const target = select('target', targetOptions(ctx, s.metric), s.targetId);
  const threshold = el('input', { type: 'number', id: 'threshold', min: 0, max: 100, step: 1, inputmode: 'decimal', value: s.threshold });
  const thresholdField = field(m.threshold, threshold, 'field narrow');
  const technology = select('technology', [['all', m.allTechnologies], ...TECHNOLOGIES.map((t): [string, string] => [t, t])], s.technology);
  const operator = select('operator', [['all', m.allOperators], ...OPERATORS.map((o): [string, string] => [o.code, o.name])], s.operator);
  const asOf = el('input', { type: 'date', id: 'as-of', min: EARLIEST_AS_OF, max: ctx.today, value: s.asOf ?? ctx.today });
  const todayButton = el('button', { type: 'button', id: 'as-of-today', class: 'link-button' }, m.today);

  form.replaceChildren(
    el('div', 'control-group', field(m.metric, metric), field(m.target, target), thresholdField),
    el('div', 'control-group', field(m.technology, technology), field(m.operator, operator)),
    el('div', 'control-group', el('div', 'field date', el('label', { for: 'as-of' }, m.asOf), el('div', 'date-row', asOf, todayButton))),
    el('div', 'control-group toggles', checkbox('show-stations', m.stationsLayer, s.showStations), checkbox('show-coverage', m.coverageLayer, s.showCoverage), checkbox('show-population', m.populationLayer, s.showPopulation)),
  );

  // A property, not an attribute: the page's CSP forbids inline handlers in HTML, not this.
  form.onsubmit = (e) => e.preventDefault();
  metric.addEventListener('change', () => {
    // A new metric takes its first target, or keeps the threshold as a custom one.
    const m2 = metric.value as MapMetric;
    const t = ctx.targets.find((x) => x.metric === m2);
    store.set({ metric: m2, ...(t ? { targetId: t.id, threshold: t.threshold } : { targetId: 'custom' }) });
  });
  target.addEventListener('change', () => {
    const t = ctx.targets.find((x) => x.id === target.value);
    store.set(t ? { targetId: t.id, threshold: t.threshold } : { targetId: 'custom' });
  });
  threshold.addEventListener('change', () => {
    const v = Number(threshold.value);
    if (Number.isFinite(v) && v >= 0 && v <= 100) store.set({ targetId: 'custom', threshold: v });
  });
  technology.addEventListener('change', () => store.set({ technology: technology.value as Technology | 'all' }));
  operator.addEventListener('change', () => store.set({ operator: operator.value }));
  asOf.addEventListener('change', () => {
    const v = asOf.value;
    if (!v) return;
    // Typed dates outside the range are clamped rather than sent.
    const clamped = v > ctx.today ? ctx.today : v < EARLIEST_AS_OF ? EARLIEST_AS_OF : v;
    store.set({ asOf: clamped === ctx.today ? null : clamped });
  });
  todayButton.addEventListener('click', () => store.set({ asOf: null }));
  form.querySelector<HTMLInputElement>('#show-stations')!.addEventListener('change', (e) => store.set({ showStations: (e.target as HTMLInputElement).checked }));
  form.querySelector<HTMLInputElement>('#show-coverage')!.addEventListener('change', (e) => store.set({ showCoverage: (e.target as HTMLInputElement).checked }));
  form.querySelector<HTMLInputElement>('#show-population')!.addEventListener('change', (e) => store.set({ showPopulation: (e.target as HTMLInputElement).checked }));

  let shownMetric = s.metric;
  return (state) => {
    metric.value = state.metric;
    if (state.metric !== shownMetric) {
      target.replaceChildren(...targetOptions(ctx, state.metric).map(([v, label]) => el('option', { value: v }, label)));
      shownMetric = state.metric;
    }
    target.value = state.targetId;
    thresholdField.hidden = state.targetId !== 'custom';
    if (document.activeElement !== threshold) threshold.value = String(state.threshold);
    technology.value = state.technology;
    operator.value = state.operator;
    if (document.activeElement !== asOf) asOf.value = state.asOf ?? ctx.today;
    todayButton.hidden = state.asOf === null;
  };
}
