// DOM building without innerHTML (names and messages come from uploaded files), and no inline
// handlers or scripts: the page runs under a strict content security policy.

type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | null | undefined> | string = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  const a = typeof attrs === 'string' ? { class: attrs } : attrs;
  for (const [key, value] of Object.entries(a)) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, ...children: Array<Node | string>): SVGElementTagNameMap[K] {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  node.append(...children);
  return node;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} missing from the page`);
  return node as T;
}

/**
 * Replaces a box's content, keeping keyboard focus: panels re-render as answers arrive, and a
 * focused element that vanished would drop the user back to the top of the page.
 */
export function replaceKeepingFocus(box: HTMLElement, ...children: Array<Node | string>): void {
  const active = document.activeElement;
  const id = active instanceof HTMLElement && box.contains(active) ? active.id : '';
  box.replaceChildren(...children);
  if (id) document.getElementById(id)?.focus({ preventScroll: true });
}

/** A definition list from [term, value] rows, skipping rows without a value. */
export function defList(rows: Array<[string, Child] | null>, className?: string): HTMLDListElement {
  const dl = el('dl', className ?? '');
  for (const row of rows) {
    if (!row) continue;
    dl.append(el('dt', {}, row[0]), el('dd', {}, row[1]));
  }
  return dl;
}

export function message(text: string, isError = false): HTMLParagraphElement {
  const p = el('p', isError ? 'error' : 'hint', text);
  if (isError) p.setAttribute('role', 'alert');
  return p;
}

/** A <select> with options [value, label]. */
export function select(id: string, options: Array<[string, string]>, value: string): HTMLSelectElement {
  const s = el('select', { id });
  for (const [v, label] of options) s.append(el('option', { value: v, selected: v === value }, label));
  s.value = value;
  return s;
}
