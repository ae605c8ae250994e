/**
 * `GET /api/docs`: the OpenAPI document as one server-rendered page. No script at all (the CSP is
 * script-src 'self'), no external resource; every text coming from the document is escaped.
 */

type Json = Record<string, unknown>;

interface Param { name: string; in: string; required?: boolean; description?: string; schema?: Json; example?: unknown }
interface Media { schema?: Json; example?: unknown }
interface Operation {
  tags?: string[]; summary?: string; description?: string; operationId?: string; security?: Array<Record<string, unknown>>;
  parameters?: Param[]; requestBody?: { description?: string; required?: boolean; content?: Record<string, Media> };
  responses?: Record<string, { description?: string; content?: Record<string, Media>; headers?: Record<string, { description?: string }> }>;
  'x-role'?: string;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Inline code spans of the descriptions (`x`) as <code>, on escaped text. */
function prose(text: unknown): string {
  return escapeHtml(text ?? '').replace(/`([^`]+)`/g, '<code>$1</code>');
}

function resolve(doc: Json, schema: Json | undefined): Json | undefined {
  const ref = schema?.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return schema;
  let node: unknown = doc;
  for (const part of ref.slice(2).split('/')) node = (node as Json | undefined)?.[part];
  return (node as Json | undefined) ?? schema;
}

/** A one-line reading of a parameter's schema: type, enum, pattern, bounds, default. */
function schemaSummary(schema: Json | undefined): string {
  if (!schema) return '';
  if (typeof schema.$ref === 'string') return schema.$ref.split('/').pop() ?? '';
  const parts: string[] = [];
  const alternatives = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (alternatives) parts.push(alternatives.map(schemaSummary).join(' | '));
  if (schema.type) parts.push(Array.isArray(schema.type) ? schema.type.join(' | ') : String(schema.type));
  if (schema.format) parts.push(`format ${String(schema.format)}`);
  if (Array.isArray(schema.enum)) parts.push(`one of ${schema.enum.join(', ')}`);
  if (schema.const !== undefined) parts.push(`= ${String(schema.const)}`);
  if (schema.pattern) parts.push(`pattern ${String(schema.pattern)}`);
  for (const [key, label] of [['minimum', '≥'], ['exclusiveMinimum', '>'], ['maximum', '≤'], ['exclusiveMaximum', '<'], ['minLength', 'length ≥'], ['maxLength', 'length ≤']] as const) {
    if (schema[key] !== undefined) parts.push(`${label} ${String(schema[key])}`);
  }
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts.join('; ');
}

function pre(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return `<pre>${escapeHtml(text)}</pre>`;
}

function content(doc: Json, media: Record<string, Media> | undefined): string {
  if (!media) return '';
  return Object.entries(media).map(([type, m]) => {
    const schema = resolve(doc, m.schema);
    return `<div class="media"><span class="type">${escapeHtml(type)}</span>` +
      (m.example !== undefined ? `<div class="label">Example</div>${pre(m.example)}` : '') +
      (schema ? `<details><summary>Schema</summary>${pre(schema)}</details>` : '') + '</div>';
  }).join('');
}

function anchor(method: string, path: string): string {
  return `op-${method}-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

function security(op: Operation): string {
  const sec = op.security ?? [];
  if (sec.length === 0) return 'No token needed.';
  if (sec.some((s) => Object.keys(s).length === 0)) return 'Token optional (needed when the deployment sets PUBLIC_READS=false).';
  return `Bearer token required${op['x-role'] ? ` — ${escapeHtml(op['x-role'])}` : ''}.`;
}

function renderOperation(doc: Json, method: string, path: string, op: Operation): string {
  const params = op.parameters ?? [];
  const rows = params.map((p) => `<tr><td><code>${escapeHtml(p.name)}</code>${p.required ? ' <span class="req">required</span>' : ''}</td>` +
    `<td>${escapeHtml(p.in)}</td><td>${escapeHtml(schemaSummary(p.schema))}${p.description ? `<br>${prose(p.description)}` : ''}</td>` +
    `<td>${p.example !== undefined ? `<code>${escapeHtml(p.example)}</code>` : ''}</td></tr>`).join('');
  const responses = Object.entries(op.responses ?? {}).map(([status, r]) =>
    `<div class="response"><h4><span class="status s${escapeHtml(status[0])}">${escapeHtml(status)}</span> ${prose(r.description)}</h4>` +
    (r.headers ? `<p>Headers: ${Object.entries(r.headers).map(([h, v]) => `<code>${escapeHtml(h)}</code> ${prose(v.description)}`).join(', ')}</p>` : '') +
    content(doc, r.content) + '</div>').join('');
  return `<section class="op" id="${anchor(method, path)}">
<h3><span class="method m-${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code class="path">${escapeHtml(path)}</code></h3>
<p class="summary">${prose(op.summary)}</p>
${op.description ? `<p>${prose(op.description)}</p>` : ''}
<p class="auth">${security(op)}</p>
${params.length ? `<h4>Parameters</h4><table><thead><tr><th>Name</th><th>In</th><th>Schema</th><th>Example</th></tr></thead><tbody>${rows}</tbody></table>` : ''}
${op.requestBody ? `<h4>Request body${op.requestBody.required ? ' <span class="req">required</span>' : ''}</h4>${op.requestBody.description ? `<p>${prose(op.requestBody.description)}</p>` : ''}${content(doc, op.requestBody.content)}` : ''}
<h4>Responses</h4>${responses}
</section>`;
}

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1f24;background:#fafbfc}
header,main{max-width:1100px;margin:0 auto;padding:0 20px}
header{padding-top:20px}
nav>ul{columns:2;padding-left:18px}nav li{break-inside:avoid}
h2{border-bottom:2px solid #d0d7de;padding-bottom:4px;margin-top:40px}
.op{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:4px 16px 12px;margin:16px 0}
.method{display:inline-block;min-width:56px;text-align:center;border-radius:4px;color:#fff;font-size:13px;padding:2px 6px}
.m-get{background:#1f6feb}.m-post{background:#1a7f37}.m-patch{background:#9a6700}.m-put{background:#8250df}.m-delete{background:#cf222e}
.status{display:inline-block;border-radius:4px;padding:0 6px;color:#fff;background:#57606a}.s2{background:#1a7f37}.s4{background:#bc4c00}.s5{background:#cf222e}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
pre{background:#f6f8fa;border:1px solid #d0d7de;border-radius:4px;padding:8px;overflow:auto;max-height:360px;font-size:13px}
.req{color:#cf222e;font-size:12px}.type{font-family:monospace;color:#57606a}.label{font-size:12px;color:#57606a}
.auth{color:#57606a;font-style:italic}
`;

export function renderApiDocs(doc: object): string {
  const d = doc as Json & { info?: { title?: string; version?: string; description?: string }; tags?: Array<{ name: string; description?: string }>; paths?: Record<string, Record<string, Operation>> };
  const ops: Array<{ method: string; path: string; op: Operation; tag: string }> = [];
  for (const [path, item] of Object.entries(d.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (op) ops.push({ method, path, op, tag: op.tags?.[0] ?? 'Other' });
    }
  }
  const tags = [...(d.tags ?? []).map((t) => t.name), ...new Set(ops.map((o) => o.tag))].filter((t, i, all) => all.indexOf(t) === i && ops.some((o) => o.tag === t));
  const tagText = new Map((d.tags ?? []).map((t) => [t.name, t.description ?? '']));
  const toc = tags.map((tag) => `<li><a href="#tag-${escapeHtml(tag)}">${escapeHtml(tag)}</a><ul>${ops.filter((o) => o.tag === tag)
    .map((o) => `<li><a href="#${anchor(o.method, o.path)}">${escapeHtml(o.method.toUpperCase())} ${escapeHtml(o.path)}</a></li>`).join('')}</ul></li>`).join('');
  const sections = tags.map((tag) => `<h2 id="tag-${escapeHtml(tag)}">${escapeHtml(tag)}</h2>${tagText.get(tag) ? `<p>${prose(tagText.get(tag))}</p>` : ''}` +
    ops.filter((o) => o.tag === tag).map((o) => renderOperation(d, o.method, o.path, o.op)).join('')).join('\n');
  const title = `${d.info?.title ?? 'API'} ${d.info?.version ?? ''}`.trim();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p>${prose(d.info?.description)}</p>
<p>OpenAPI ${escapeHtml(d.openapi)} document: <a href="/api/openapi.json">/api/openapi.json</a>. ${ops.length} operations.</p>
<nav><ul>${toc}</ul></nav>
</header>
<main>
${sections}
</main>
</body>
</html>
`;
}
