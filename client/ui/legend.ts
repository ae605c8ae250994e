// The legend over the map: the diverging scale with the threshold marked (and the province's own
// value), what the outlines and hatching mean, the operators' colours, and notices (demo data,
// past date). A <details>, so phones can fold it away.
import type { Technology } from '../../server/contract/rules';
import type { Formatters, Messages } from '../i18n';
import { OPERATORS } from '../data/operators';
import { cssGradient, MISS_OUTLINE_COLOUR, NO_DATA_COLOUR } from '../map/choropleth';
import { COVERAGE_COLOUR, type OverlayStatus } from '../map/coverage-layer';
import { el } from './dom';

export interface LegendModel {
  metricLabel: string;
  threshold: number;
  provinceValue: number | null;
  dataAvailable: boolean;
  syntheticData: boolean;
  stationsVisible: boolean;
  stationsZoomedOut: boolean;
  operator: string;
  coverage: { technology: Technology; operatorLabel: string; status: OverlayStatus; error?: string } | null;
  gapTechnology: Technology | null;
  asOf: string | null;
}

function swatch(className: string, colour?: string): HTMLElement {
  const s = el('span', { class: `swatch ${className}`, 'aria-hidden': 'true' });
  if (colour) s.style.background = colour;
  return s;
}

export function renderLegend(details: HTMLDetailsElement, model: LegendModel, m: Messages, fmt: Formatters): void {
  const t = Math.min(100, Math.max(0, model.threshold));
  const bar = el('div', { class: 'scale-bar', 'aria-hidden': 'true' });
  bar.style.background = cssGradient(t);
  const mark = el('span', 'scale-mark');
  mark.style.left = `${t}%`;
  bar.append(mark);
  if (model.provinceValue !== null) {
    const p = el('span', 'scale-province');
    p.style.left = `${Math.min(100, Math.max(0, model.provinceValue))}%`;
    bar.append(p);
  }
  const ticks = el('div', { class: 'scale-ticks', 'aria-hidden': 'true' }, el('span', {}, fmt.pct(0)), el('span', {}, fmt.pct(100)));
  const thresholdLabel = el('span', 'scale-threshold-label', m.legendThreshold(fmt.pct(t)));
  thresholdLabel.style.left = `${t}%`;
  ticks.append(thresholdLabel);

  const items: HTMLElement[] = [
    el('p', 'legend-metric', model.metricLabel),
    bar,
    ticks,
    el('p', 'scale-sides', el('span', {}, `← ${m.legendBelow}`), el('span', {}, `${m.legendAbove} →`)),
    el('p', 'visually-hidden', `${m.legendBelow} < ${fmt.pct(t)} ≤ ${m.legendAbove}`),
  ];
  if (model.provinceValue !== null) items.push(el('p', 'legend-row', swatch('province-mark'), `${m.tabProvince}: ${fmt.pct(model.provinceValue)}`));
  const outline = swatch('outline');
  outline.style.borderColor = MISS_OUTLINE_COLOUR;
  items.push(el('p', 'legend-row', outline, m.legendMiss));
  if (!model.dataAvailable) items.push(el('p', 'legend-row', swatch('', NO_DATA_COLOUR), m.legendNoData));
  if (model.gapTechnology) items.push(el('p', 'legend-row', swatch('hatch'), m.legendUncovered(model.gapTechnology)));
  if (model.coverage) {
    const c = model.coverage;
    const text =
      c.status === 'loading' ? m.legendLoadingCoverage
        : c.status === 'error' ? `${m.loadFailed}: ${c.error ?? ''}`
          : c.status === 'empty' ? m.legendCoverageEmpty(c.technology, c.operatorLabel)
            : m.legendCoverage(c.technology, c.operatorLabel);
    items.push(el('p', { class: `legend-row${c.status === 'error' ? ' error' : ''}`, 'aria-live': 'polite' }, swatch('', COVERAGE_COLOUR), text));
  }
  if (model.stationsVisible) {
    const ops = el('ul', 'legend-operators');
    for (const op of OPERATORS) {
      const li = el('li', { class: model.operator !== 'all' && model.operator !== op.code ? 'muted' : '' }, swatch('dot', op.colour), op.name);
      ops.append(li);
    }
    items.push(el('p', 'legend-sub', m.legendStations), ops);
    if (model.stationsZoomedOut) items.push(el('p', 'hint', m.legendStationsZoom));
  }
  if (model.syntheticData) items.push(el('p', 'notice demo', m.fiberDemoNotice));
  if (model.asOf) items.push(el('p', 'notice', m.asOfNotice(fmt.date(model.asOf))));

  details.replaceChildren(el('summary', {}, m.legendTitle), el('div', 'legend-body', ...items));
}
