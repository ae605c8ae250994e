import type { Knex } from 'knex';

export interface AuditEntry {
  actor: string;
  tokenId: number | null;
  method: string;
  path: string;
  status: number;
  requestId: string | null;
  detail?: Record<string, unknown> | null;
}

export interface AuditRepo {
  record(entry: AuditEntry): Promise<void>;
  recent(limit: number): Promise<Array<AuditEntry & { id: number; at: Date }>>;
}

export function createAuditRepo(knex: Knex): AuditRepo {
  return {
    async record(e) {
      await knex.raw(
        'INSERT INTO audit_log (actor, token_id, method, path, status, request_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)',
        [e.actor, e.tokenId, e.method, e.path, e.status, e.requestId, e.detail ? JSON.stringify(e.detail) : null],
      );
    },
    async recent(limit) {
      const { rows } = await knex.raw(
        `SELECT id, at, actor, token_id AS "tokenId", method, path, status, request_id AS "requestId", detail FROM audit_log ORDER BY id DESC LIMIT ?`,
        [limit],
      );
      return rows;
    },
  };
}
