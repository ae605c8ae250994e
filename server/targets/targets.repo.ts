import type { Knex } from 'knex';
import type { ReportedFigure, Target, TargetInput, TargetPatch } from './targets.schema';

export interface TargetsRepo {
  list(): Promise<Target[]>;
  /** By id or code. */
  get(key: number | string): Promise<Target | null>;
  codeExists(code: string, exceptId?: number): Promise<boolean>;
  insert(input: TargetInput, actor: string): Promise<number>;
  update(id: number, patch: TargetPatch, actor: string): Promise<void>;
  reported(): Promise<ReportedFigure[]>;
}

const TARGET_SELECT = `SELECT id, code, title, metric, threshold, deadline_year AS "deadlineYear", scope, province_code AS "provinceCode",
    json_build_object('document', source_document, 'date', to_char(source_date, 'YYYY-MM-DD'), 'quote', source_quote, 'url', source_url) AS source,
    notes, created_at AS "createdAt", updated_at AS "updatedAt", updated_by AS "updatedBy"
  FROM targets`;

// PATCH field → column; the only identifiers that reach the SQL text.
const COLUMNS: Record<string, string> = {
  code: 'code', title: 'title', metric: 'metric', threshold: 'threshold', deadlineYear: 'deadline_year', scope: 'scope', provinceCode: 'province_code', notes: 'notes',
  'source.document': 'source_document', 'source.date': 'source_date', 'source.quote': 'source_quote', 'source.url': 'source_url',
};

export function createTargetsRepo(knex: Knex): TargetsRepo {
  return {
    async list() {
      return (await knex.raw(`${TARGET_SELECT} ORDER BY deadline_year, id`)).rows;
    },

    async get(key) {
      const { rows } = await knex.raw(`${TARGET_SELECT} WHERE ${typeof key === 'number' ? 'id' : 'code'} = ?`, [key]);
      return rows[0] ?? null;
    },

    async codeExists(code, exceptId) {
      const { rows } = await knex.raw('SELECT 1 FROM targets WHERE code = ? AND id IS DISTINCT FROM ?', [code, exceptId ?? null]);
      return rows.length > 0;
    },

    async insert(t, actor) {
      const { rows } = await knex.raw(
        `INSERT INTO targets (code, title, metric, threshold, deadline_year, scope, province_code, source_document, source_date, source_quote, source_url, notes, updated_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        [t.code, t.title, t.metric, t.threshold, t.deadlineYear, t.scope, t.provinceCode ?? null, t.source.document, t.source.date ?? null, t.source.quote ?? null, t.source.url ?? null, t.notes ?? null, actor],
      );
      return rows[0].id;
    },

    async update(id, patch, actor) {
      const { source, ...rest } = patch;
      const fields: Array<[string, unknown]> = [
        ...Object.entries(rest),
        ...Object.entries(source ?? {}).map(([k, v]) => [`source.${k}`, v] as [string, unknown]),
      ].filter(([k, v]) => v !== undefined && COLUMNS[k]);
      const sets = fields.map(([k]) => `${COLUMNS[k]} = ?`);
      await knex.raw(
        `UPDATE targets SET ${[...sets, 'updated_at = now()', 'updated_by = ?'].join(', ')} WHERE id = ?`,
        [...fields.map(([, v]) => v as Knex.Value), actor, id],
      );
    },

    async reported() {
      const { rows } = await knex.raw(
        `SELECT id, code, label, value, unit, qualifier, metric, operator, area, province_code AS "provinceCode", to_char(as_of, 'YYYY-MM-DD') AS "asOf",
                json_build_object('document', source_document, 'date', to_char(source_date, 'YYYY-MM-DD'), 'quote', source_quote) AS source, notes
           FROM reported_figures ORDER BY source_date DESC, id`,
      );
      return rows;
    },
  };
}
