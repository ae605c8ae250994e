import { assertAdmin, describePrincipal, type Principal } from '../auth/tokens.service';
import { ConflictError, NotFoundError } from '../errors';
import type { TargetsRepo } from './targets.repo';
import type { Target, TargetInput, TargetPatch } from './targets.schema';

/** Targets (admins edit them) and the province's reported figures (read-only, seeded with sources). */
export function createTargetsService(repo: TargetsRepo) {
  async function get(key: number | string): Promise<Target> {
    const target = await repo.get(key);
    if (!target) throw new NotFoundError(`no target ${typeof key === 'number' ? `#${key}` : `"${key}"`}`);
    return target;
  }

  return {
    list: () => repo.list(),
    get,
    reported: () => repo.reported(),

    async create(principal: Principal, input: TargetInput): Promise<Target> {
      assertAdmin(principal);
      if (await repo.codeExists(input.code)) throw new ConflictError(`a target with code "${input.code}" exists; PATCH it instead`);
      return get(await repo.insert(input, describePrincipal(principal)));
    },

    async update(principal: Principal, key: number | string, patch: TargetPatch): Promise<Target> {
      assertAdmin(principal);
      const target = await get(key);
      if (patch.code && (await repo.codeExists(patch.code, target.id))) throw new ConflictError(`a target with code "${patch.code}" exists`);
      await repo.update(target.id, patch, describePrincipal(principal));
      return get(target.id);
    },
  };
}

export type TargetsService = ReturnType<typeof createTargetsService>;
