import type { Knex } from 'knex';

export type ImportStatus = 'running' | 'succeeded' | 'rejected' | 'failed';

export interface ImportRecord {
  id: number;
  kind: string;
  actor: string;
  operator: string | null;
  fileName: string | null;
  sha256: string;
  bytes: number;
  format: string | null;
  mode: string;
  dryRun: boolean;
  status: ImportStatus;
  counts: Record<string, number>;
  report: Record<string, unknown>;
  startedAt: Date;
  finishedAt: Date | null;
}

export interface ImportsRepo {
  start(i: { kind: string; tokenId: number | null; actor: string; operator: string | null; fileName: string | null; sha256: string; bytes: number; format: string | null; mode: string; dryRun: boolean }): Promise<number>;
  finish(id: number, status: Exclude<ImportStatus, 'running'>, counts: object, report: object): Promise<void>;
  list(filter: { operator?: string; kind?: string; limit: number; beforeId?: number }): Promise<Array<Omit<ImportRecord, 'report'>>>;
  get(id: number): Promise<ImportRecord | null>;
}

const COLUMNS = `id, kind, actor, operator, file_name AS "fileName", sha256, bytes, format, mode, dry_run AS "dryRun", status, counts,
  started_at AS "startedAt", finished_at AS "finishedAt"`;

/** The import history: one row per upload, kept whatever its outcome (who, what, when). */
export function createImportsRepo(knex: Knex): ImportsRepo {
  return {
    async start(i) {
      const { rows } = await knex.raw<{ rows: Array<{ id: number }> }>(
        `INSERT INTO imports (kind, token_id, actor, operator, file_name, sha256, bytes, format, mode, dry_run, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running') RETURNING id`,
        [i.kind, i.tokenId, i.actor, i.operator, i.fileName, i.sha256, i.bytes, i.format, i.mode, i.dryRun],
      );
      return rows[0].id;
    },
    async finish(id, status, counts, report) {
      await knex.raw('UPDATE imports SET status = ?, counts = ?::jsonb, report = ?::jsonb, finished_at = now() WHERE id = ?', [
        status, JSON.stringify(counts), JSON.stringify(report), id,
      ]);
    },
    async list(f) {
      const where: string[] = [];
      const bindings: Knex.Value[] = [];
      if (f.operator) { where.push('operator = ?'); bindings.push(f.operator); }
      if (f.kind) { where.push('kind = ?'); bindings.push(f.kind); }
      if (f.beforeId !== undefined) { where.push('id < ?'); bindings.push(f.beforeId); }
      const { rows } = await knex.raw(
        `SELECT ${COLUMNS} FROM imports ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
        [...bindings, f.limit],
      );
      return rows;
    },
    async get(id) {
      const { rows } = await knex.raw(`SELECT ${COLUMNS}, report FROM imports WHERE id = ?`, [id]);
      return rows[0] ?? null;
    },
  };
}
