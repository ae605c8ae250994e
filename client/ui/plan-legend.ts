// The Plan tab's own legend over the map (next to the main one): the two kinds of suggested site,
// and in the compare view what the communes' colours show, with the difference's diverging scale.
import { differenceStops, type SiteProperties } from '../data/plan';
import { operatorName } from '../data/operators';
import type { Formatters, Messages } from '../i18n';
import { SITE_STYLE } from '../map/plan-layer';
import type { CompareView } from './plan-result';
import { defList, el } from './dom';

export interface PlanLegendModel {
  sites: boolean;
  compare: { view: CompareView; metricLabel: string; threshold: number; extent: number; scenarioName: string } | null;
}

function siteSwatch(kind: keyof typeof SITE_STYLE): HTMLElement {
  const s = el('span', { class: `swatch plan-site ${kind}`, 'aria-hidden': 'true' });
  s.style.background = SITE_STYLE[kind].colour;
  s.style.borderColor = SITE_STYLE[kind].rim;
  return s;
}

export function renderPlanLegend(box: HTMLElement, model: PlanLegendModel, m: Messages, fmt: Formatters): void {
  const p = m.plan;
  box.hidden = !model.sites && !model.compare;
  const items: HTMLElement[] = [el('p', 'legend-metric', p.legendTitle)];
  if (model.sites) {
    items.push(el('p', 'legend-row', siteSwatch('upgrade'), p.legendUpgrade), el('p', 'legend-row', siteSwatch('new'), p.legendNew));
  }
  const c = model.compare;
  if (c) {
    items.push(el('p', { class: 'legend-sub', 'data-testid': 'plan-legend-view' }, p.legendShowing[c.view](c.metricLabel, c.scenarioName, fmt.pct(c.threshold))));
    if (c.view === 'difference') {
      const stops = differenceStops(c.extent);
      const bar = el('div', { class: 'scale-bar', 'aria-hidden': 'true' });
      bar.style.background = `linear-gradient(to right, ${stops.map(([, colour], i) => `${colour} ${(100 * i) / (stops.length - 1)}%`).join(', ')})`;
      const signed = (v: number) => `${v > 0 ? '+' : v < 0 ? '−' : ''}${fmt.points(Math.abs(v))}`;
      items.push(bar, el('div', { class: 'plan-legend-ticks', 'aria-hidden': 'true' }, el('span', {}, signed(-c.extent)), el('span', {}, '0'), el('span', {}, signed(c.extent))),
        el('p', 'visually-hidden', p.legendDifferenceRange(signed(-c.extent), signed(c.extent))));
    }
  }
  box.replaceChildren(...items);
}

/** The popup of a suggested site. */
export function renderSitePopup(site: SiteProperties, communeName: string, m: Messages, fmt: Formatters): HTMLElement {
  const p = m.plan;
  return el('div', { class: 'station-popup plan-site-popup', 'data-testid': 'plan-site-popup' },
    el('h3', {}, p.siteTitle(site.rank), ' ', el('span', { class: `plan-kind-label ${site.kind}` }, p.kind[site.kind])),
    defList([
      [m.operator, operatorName(site.operator)],
      [m.technology, `${site.technology}, ${fmt.integer(site.bandMhz)} MHz`],
      [p.height, `${fmt.integer(site.heightM)} m`],
      [p.colCommune, communeName],
      site.stationId !== null ? [p.station, `#${site.stationId}`] : null,
      [p.colPeople, fmt.integer(site.peopleAdded)],
      [p.colCumulative, `${fmt.pct(site.cumulativeValue)} (${fmt.integer(site.cumulativePopulation)} ${p.people})`],
    ]));
}
