import type { Knex } from 'knex';

export const ROLES = ['admin', 'operator', 'planner'] as const;
export type Role = (typeof ROLES)[number];

export interface TokenRecord {
  id: number;
  tokenHash: string;
  role: Role;
  operator: string | null;
  label: string | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export interface TokensRepo {
  insert(token: { tokenHash: string; role: Role; operator: string | null; label: string | null; expiresAt: Date | null }): Promise<number>;
  findByHash(tokenHash: string): Promise<TokenRecord | null>;
  touch(id: number): Promise<void>;
  revoke(id: number): Promise<boolean>;
  list(): Promise<Array<Omit<TokenRecord, 'tokenHash'> & { createdAt: Date; lastUsedAt: Date | null }>>;
  operatorExists(code: string): Promise<boolean>;
}

const COLUMNS = `id, token_hash AS "tokenHash", role, operator, label, expires_at AS "expiresAt", revoked_at AS "revokedAt"`;

export function createTokensRepo(knex: Knex): TokensRepo {
  return {
    async insert(t) {
      const { rows } = await knex.raw<{ rows: Array<{ id: number }> }>(
        'INSERT INTO api_tokens (token_hash, role, operator, label, expires_at) VALUES (?, ?, ?, ?, ?) RETURNING id',
        [t.tokenHash, t.role, t.operator, t.label, t.expiresAt],
      );
      return rows[0].id;
    },
    async findByHash(tokenHash) {
      const { rows } = await knex.raw<{ rows: TokenRecord[] }>(`SELECT ${COLUMNS} FROM api_tokens WHERE token_hash = ?`, [tokenHash]);
      return rows[0] ?? null;
    },
    async touch(id) {
      await knex.raw('UPDATE api_tokens SET last_used_at = now() WHERE id = ?', [id]);
    },
    async revoke(id) {
      const { rowCount } = await knex.raw<{ rowCount: number }>('UPDATE api_tokens SET revoked_at = now() WHERE id = ? AND revoked_at IS NULL', [id]);
      return rowCount > 0;
    },
    async list() {
      const { rows } = await knex.raw(
        `SELECT id, role, operator, label, expires_at AS "expiresAt", revoked_at AS "revokedAt", created_at AS "createdAt", last_used_at AS "lastUsedAt" FROM api_tokens ORDER BY id`,
      );
      return rows;
    },
    async operatorExists(code) {
      const { rows } = await knex.raw<{ rows: unknown[] }>('SELECT 1 FROM operators WHERE code = ?', [code]);
      return rows.length > 0;
    },
  };
}
