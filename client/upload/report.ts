// The dry-run report: counts of what would change, and the issues (row, column, message,
// severity) in a table sortable by any column — buttons in the headers, aria-sort on them.
import type { Formatters } from '../i18n';
import { el } from '../ui/dom';
import type { UploadMessages } from './messages';

export interface Issue {
  row: number | null;
  column: string | null;
  message: string;
  severity: string;
}

type Key = keyof Issue;
const KEYS: Key[] = ['row', 'column', 'message', 'severity'];

export function issuesOf(body: Record<string, unknown> | null, key: 'issues' | 'warnings'): Issue[] {
  const list = Array.isArray(body?.[key]) ? (body![key] as Array<Record<string, unknown>>) : [];
  return list.map((i) => ({
    row: typeof i.row === 'number' ? i.row : null,
    column: typeof i.column === 'string' ? i.column : null,
    message: String(i.message ?? ''),
    severity: typeof i.severity === 'string' ? i.severity : key === 'warnings' ? 'warning' : 'error',
  }));
}

function compare(a: Issue, b: Issue, key: Key): number {
  const x = a[key];
  const y = b[key];
  // Issues without a row or column (about the whole file) come first.
  if (x === null || y === null) return x === y ? 0 : x === null ? -1 : 1;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  return String(x).localeCompare(String(y), undefined, { numeric: true });
}

/** A table of issues; headers sort it (again: reverse). Starts sorted by row. */
export function issuesTable(issues: readonly Issue[], caption: string, m: UploadMessages, fmt: Formatters): HTMLElement {
  const labels: Record<Key, string> = { row: m.colRow, column: m.colColumn, message: m.colMessage, severity: m.colSeverity };
  let sortKey: Key = 'row';
  let ascending = true;
  const tbody = el('tbody');
  const headers = KEYS.map((key) => {
    const button = el('button', { type: 'button', class: 'sort', 'data-sort': key }, labels[key]);
    button.title = m.sortBy(labels[key]);
    const th = el('th', { scope: 'col' }, button);
    button.addEventListener('click', () => {
      ascending = sortKey === key ? !ascending : true;
      sortKey = key;
      draw();
    });
    return th;
  });

  function draw(): void {
    const sorted = [...issues].sort((a, b) => (ascending ? 1 : -1) * compare(a, b, sortKey) || compare(a, b, 'row'));
    tbody.replaceChildren(
      ...sorted.map((i) =>
        el('tr', { class: `issue sev-${i.severity}`, 'data-row': i.row ?? '', 'data-severity': i.severity },
          el('td', { class: 'num' }, i.row === null ? '—' : fmt.integer(i.row)),
          el('td', {}, i.column ?? '—'),
          el('td', {}, i.message),
          el('td', {}, m.severity[i.severity] ?? i.severity))),
    );
    KEYS.forEach((key, k) => headers[k].setAttribute('aria-sort', key === sortKey ? (ascending ? 'ascending' : 'descending') : 'none'));
  }
  draw();
  return el('div', 'table-wrap', el('table', 'issues', el('caption', {}, caption), el('thead', {}, el('tr', {}, ...headers)), tbody));
}

export function countsTable(counts: Record<string, unknown>, m: UploadMessages, fmt: Formatters): HTMLElement {
  const rows = Object.keys(m.counts)
    .filter((k) => typeof counts[k] === 'number')
    .map((k) => el('tr', { 'data-count': k }, el('th', { scope: 'row' }, m.counts[k]), el('td', { class: 'num' }, fmt.integer(counts[k] as number))));
  return el('table', 'counts-table', el('tbody', {}, ...rows));
}
