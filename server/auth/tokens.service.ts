import crypto from 'node:crypto';
import { ForbiddenError, UnauthorizedError, ValidationError } from '../errors';
import type { Role, TokensRepo } from './tokens.repo';

/** Who is making a request: `anonymous` for requests without a token. */
export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'token'; tokenId: number; role: Role; operator: string | null; label: string | null }
  /** A command run on the machine that holds the database: it has an admin's rights. */
  | { kind: 'local'; user: string };

export const ANONYMOUS: Principal = { kind: 'anonymous' };

const TOKEN_PREFIX = 'psg_';
const TOKEN_BYTES = 32; // 256 bits of randomness; the brief asks for at least 128
const DEFAULT_EXPIRY_DAYS = 365;
const TOUCH_EVERY_MS = 60_000;

/**
 * Bearer tokens. The plain token is shown once at creation; only its SHA-256 is stored. A slow
 * password hash is not needed: the token is 256 random bits, so the hash cannot be brute-forced.
 */
export function createTokensService(repo: TokensRepo) {
  const lastTouched = new Map<number, number>();
  return {
    async create(input: { role: Role; operator?: string | null; label?: string | null; expiresInDays?: number | null }) {
      const operator = input.operator ?? null;
      if (input.role === 'operator' && !operator) throw new ValidationError('an operator token needs --operator CODE');
      if (input.role !== 'operator' && operator) throw new ValidationError('only operator tokens belong to an operator');
      if (operator && !(await repo.operatorExists(operator))) throw new ValidationError(`unknown operator "${operator}"`);
      const token = TOKEN_PREFIX + crypto.randomBytes(TOKEN_BYTES).toString('base64url');
      const days = input.expiresInDays === undefined ? DEFAULT_EXPIRY_DAYS : input.expiresInDays;
      const expiresAt = days === null ? null : new Date(Date.now() + days * 86_400_000);
      const id = await repo.insert({ tokenHash: hashToken(token), role: input.role, operator, label: input.label ?? null, expiresAt });
      return { id, token, role: input.role, operator, expiresAt };
    },

    /** Resolves an Authorization header; throws 401 for a token that is unknown, revoked or expired. */
    async authenticate(header: string | undefined): Promise<Principal> {
      if (!header) return ANONYMOUS;
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new UnauthorizedError('the Authorization header must be "Bearer <token>"');
      const hash = hashToken(match[1]);
      const record = await repo.findByHash(hash);
      // The lookup is by hash; compare again in constant time so no early exit leaks.
      if (!record || !crypto.timingSafeEqual(Buffer.from(record.tokenHash), Buffer.from(hash))) {
        throw new UnauthorizedError('unknown token');
      }
      if (record.revokedAt) throw new UnauthorizedError('this token has been revoked');
      if (record.expiresAt && record.expiresAt.getTime() <= Date.now()) throw new UnauthorizedError('this token has expired');
      // When a token was last used is kept to the minute: one write a minute per token, not one per request.
      const now = Date.now();
      if (now - (lastTouched.get(record.id) ?? 0) >= TOUCH_EVERY_MS) {
        lastTouched.set(record.id, now);
        await repo.touch(record.id);
      }
      return { kind: 'token', tokenId: record.id, role: record.role, operator: record.operator, label: record.label };
    },

    revoke: (id: number) => repo.revoke(id),
    list: () => repo.list(),
  };
}

export type TokensService = ReturnType<typeof createTokensService>;

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Who may write a given operator's stations: an admin, or that operator's own token. */
export function assertCanWriteOperator(principal: Principal, operator: string): void {
  if (principal.kind === 'anonymous') throw new UnauthorizedError('writing needs a token: Authorization: Bearer <token>');
  if (principal.kind === 'local' || principal.role === 'admin') return;
  if (principal.role === 'operator' && principal.operator === operator) return;
  throw new ForbiddenError(
    principal.role === 'operator'
      ? `this token writes only ${principal.operator}'s stations, not ${operator}'s`
      : `a ${principal.role} token cannot write stations`,
  );
}

export function assertAdmin(principal: Principal): void {
  if (principal.kind === 'anonymous') throw new UnauthorizedError('this needs an admin token: Authorization: Bearer <token>');
  if (principal.kind === 'local' || principal.role === 'admin') return;
  throw new ForbiddenError(`a ${principal.role} token cannot do this; it needs an admin token`);
}

export function describePrincipal(p: Principal): string {
  if (p.kind === 'anonymous') return 'anonymous';
  if (p.kind === 'local') return `command line (${p.user})`;
  return `token #${p.tokenId} (${p.role}${p.operator ? ` ${p.operator}` : ''}${p.label ? `, ${p.label}` : ''})`;
}
