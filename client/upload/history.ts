// The import history (GET /api/imports): every upload with its outcome, newest first.
import { getJson } from '../api';
import type { ImportRecordPage } from '../../server/contract/answers';
import type { Formatters } from '../i18n';
import { el, message } from '../ui/dom';
import { operatorName } from '../data/operators';
import type { UploadMessages } from './messages';

type ImportRow = ImportRecordPage['items'][number];

function countsText(counts: Record<string, number>, m: UploadMessages, fmt: Formatters): string {
  return Object.entries(counts)
    .filter(([, v]) => typeof v === 'number' && v > 0)
    .map(([k, v]) => `${m.counts[k] ?? m.historyCounts[k] ?? k}: ${fmt.integer(v)}`)
    .join('; ');
}

export async function renderHistory(box: HTMLElement, m: UploadMessages, fmt: Formatters, highlightId: number | null): Promise<void> {
  let items: ImportRow[];
  try {
    items = (await getJson<ImportRecordPage>('/api/imports?limit=20')).items;
  } catch (err) {
    box.replaceChildren(message((err as Error).message, true));
    return;
  }
  if (items.length === 0) {
    box.replaceChildren(message(m.historyEmpty));
    return;
  }
  const head = el('tr', {}, ...m.historyCols.map((c) => el('th', { scope: 'col' }, c)));
  const rows = items.map((i) =>
    el('tr', { 'data-import-id': i.id, class: `${i.status}${i.id === highlightId ? ' highlight' : ''}` },
      el('td', { class: 'num' }, String(i.id)),
      el('td', {}, fmt.dateTime(i.startedAt)),
      el('td', { class: 'file' }, i.fileName ?? '—'),
      el('td', {}, i.operator ? operatorName(i.operator) : '—'),
      el('td', {}, m.modes[i.mode] ?? i.mode),
      el('td', {}, i.dryRun ? m.dryRunTag : m.writeTag),
      el('td', {}, m.status[i.status] ?? i.status),
      el('td', { class: 'counts' }, countsText(i.counts ?? {}, m, fmt))));
  box.replaceChildren(el('div', 'table-wrap', el('table', 'history-table', el('thead', {}, head), el('tbody', {}, ...rows))));
}
