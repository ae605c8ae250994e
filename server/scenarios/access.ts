/**
 * Who may work with scenarios and plans. They are drafts, not public figures: reading needs a
 * token too. A planner or an admin works for any operator; an operator's token only for its own
 * operator, and sees only what it made.
 */
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../errors';
import type { Principal } from '../auth/tokens.service';

export function assertToken(p: Principal): void {
  if (p.kind === 'anonymous') throw new UnauthorizedError('scenarios and plans need a token: Authorization: Bearer <token>');
}

/** The operator a record made by `p` belongs to: its own for an operator token, else none. */
export function ownerOf(p: Principal): string | null {
  return p.kind === 'token' && p.role === 'operator' ? p.operator : null;
}

/** Refuses (403, before any work) changes or plans for operators other than the token's own. */
export function assertCanWorkFor(p: Principal, operators: Iterable<string>): void {
  assertToken(p);
  const own = ownerOf(p);
  if (p.kind !== 'token' || p.role !== 'operator') return;
  for (const op of operators) {
    if (op !== own) throw new ForbiddenError(`this token works only for ${own}, not for ${op === 'all' ? 'all operators' : op}`);
  }
}

/** Whether `p` may see a record of `ownerOperator`; hidden records are answered as missing. */
export function assertVisible(p: Principal, ownerOperator: string | null, what: string): void {
  assertToken(p);
  const own = ownerOf(p);
  if (own !== null && ownerOperator !== own) throw new NotFoundError(`no ${what}`);
}

export function actorOf(p: Principal): string {
  if (p.kind === 'anonymous') return 'anonymous';
  if (p.kind === 'local') return `local:${p.user}`;
  return `token:${p.tokenId}${p.label ? ` ${p.label}` : ''}`;
}
