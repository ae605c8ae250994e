// The HTML box naming the commune under the pointer. Built with DOM calls, never innerHTML:
// names come from imported files.
import type { CommuneKind, CommuneProperties } from '../api';
import type { Formatters, Messages } from '../i18n';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function renderCommuneInfo(
  box: HTMLElement,
  commune: CommuneProperties | null,
  m: Messages,
  fmt: Formatters,
): void {
  if (commune === null) {
    box.replaceChildren(el('p', 'hint', m.hint));
    box.removeAttribute('data-code');
    return;
  }
  box.dataset.code = commune.code;
  const rows: Array<[string, string]> = [
    [m.fieldKind, m.kind[commune.kind]],
    [m.fieldPopulation, `${fmt.integer(commune.population)} ${m.unitPeople}`],
    [m.fieldHouseholds, fmt.integer(commune.households)],
    [m.fieldArea, fmt.areaKm2(commune.areaKm2)],
  ];
  const dl = el('dl');
  for (const [term, value] of rows) dl.append(el('dt', undefined, term), el('dd', undefined, value));
  box.replaceChildren(el('h2', 'commune-name', commune.fullName), dl);
}

export function renderLegend(
  legend: HTMLElement,
  colours: Record<CommuneKind, string>,
  counts: Record<CommuneKind, number>,
  m: Messages,
  fmt: Formatters,
): void {
  const list = el('ul');
  for (const kind of ['phuong', 'xa', 'dac_khu'] as const) {
    if (counts[kind] === 0) continue;
    const swatch = el('span', 'swatch');
    swatch.style.backgroundColor = colours[kind];
    swatch.setAttribute('aria-hidden', 'true');
    const item = el('li');
    item.append(swatch, `${m.kind[kind]} (${fmt.integer(counts[kind])})`);
    list.append(item);
  }
  legend.replaceChildren(el('h2', 'visually-hidden', m.legendTitle), list);
}

export function renderMessage(box: HTMLElement, text: string, isError = false): void {
  const p = el('p', isError ? 'error' : 'hint', text);
  if (isError) p.setAttribute('role', 'alert');
  box.replaceChildren(p);
}
