// Popup of a station: what the tile knows at once (site code, operator, technologies), then its
// radios with band, azimuth, status and dates from GET /api/stations/:id.
import { api } from '../api';
import type { StationDetail } from '../../server/contract/answers';
import type { Formatters, Messages } from '../i18n';
import { operatorColour, operatorName } from '../data/operators';
import { el, message } from './dom';

export interface TileStation {
  id: number | string;
  operator: string;
  siteCode: string;
  name: string;
  technologies: string;
  isDemo: boolean;
}

function radiosTable(s: StationDetail, m: Messages, fmt: Formatters): HTMLElement {
  // The "off air" column only when some radio has a date for it.
  const offAir = s.radios.some((r) => r.decommissionedOn);
  // In the server's order: technology, band, azimuth.
  const rows = s.radios
    .map((r) => el('tr', { class: r.status === 'active' ? '' : 'inactive' },
      el('td', {}, r.technology),
      el('td', {}, `${fmt.integer(r.bandMhz)} MHz`),
      el('td', {}, r.azimuthDeg === null ? m.omni : `${fmt.integer(r.azimuthDeg)}°`),
      el('td', {}, m.status[r.status] ?? r.status),
      el('td', {}, fmt.date(r.commissionedOn)),
      offAir ? el('td', {}, r.decommissionedOn ? fmt.date(r.decommissionedOn) : '') : null));
  return el('table', 'radios',
    el('caption', {}, m.popupRadios),
    el('thead', {}, el('tr', {}, ...['', m.popupBand, m.popupAzimuth, m.popupStatus, m.popupCommissioned, ...(offAir ? [m.popupDecommissioned] : [])].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows));
}

/** Fills `box` now from the tile's properties and again when the station's details arrive. */
export function renderStationPopup(box: HTMLElement, tile: TileStation, m: Messages, fmt: Formatters, signal: AbortSignal): void {
  const dot = el('span', { class: 'swatch dot', 'aria-hidden': 'true' });
  dot.style.background = operatorColour(tile.operator);
  const head = el('div', 'popup-head',
    el('h3', {}, tile.siteCode, tile.isDemo ? el('span', 'tag demo', m.popupDemo) : null),
    el('p', {}, tile.name),
    el('p', {}, dot, `${m.popupOperator}: ${operatorName(tile.operator)} · ${tile.technologies.replaceAll(',', ' ')}`));
  const body = el('div', 'popup-body', message(m.loading));
  box.replaceChildren(head, body);
  box.dataset.stationId = String(tile.id);
  api
    .station(tile.id, signal)
    .then((s) => {
      body.replaceChildren(radiosTable(s, m, fmt), s.isDemo ? el('p', 'notice demo small', m.demoNotice) : '');
      box.dataset.loaded = 'true';
    })
    .catch((err: Error) => {
      if (err.name !== 'AbortError') body.replaceChildren(message(`${m.loadFailed}: ${err.message}`, true));
    });
}
