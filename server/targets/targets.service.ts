import { assertAdmin, describePrincipal, type Principal } from '../auth/tokens.service';
import { ConflictError, NotFoundError } from '../errors';
import type { TargetsRepo } from './targets.repo';
import type { Target, TargetInput, TargetPatch } from './targets.schema';
import { targetsOfProvince, type Scope } from '../provinces/scope';

/** Targets (admins edit them) and the province's reported figures (read-only, seeded with sources). */
export function createTargetsService(repo: TargetsRepo, scopes: { resolveScope(requested?: string): Promise<Scope> }) {
  async function get(key: number | string): Promise<Target> {
    const target = await repo.get(key);
    if (!target) throw new NotFoundError(`no target ${typeof key === 'number' ? `#${key}` : `"${key}"`}`);
    return target;
  }

  return {
    /** Every target; with a province, those that apply to it (its own and the national ones). */
    async list(province?: string) {
      const all = await repo.list();
      if (province === undefined) return all;
      return targetsOfProvince(all, (await scopes.resolveScope(province))!);
    },
    get,
    /** Every reported figure; with a province, those reported for it. */
    async reported(province?: string) {
      const all = await repo.reported();
      if (province === undefined) return all;
      const scope = await scopes.resolveScope(province);
      return all.filter((r) => r.provinceCode === scope);
    },

    async create(principal: Principal, input: TargetInput): Promise<Target> {
      assertAdmin(principal);
      if (await repo.codeExists(input.code)) throw new ConflictError(`a target with code "${input.code}" exists; PATCH it instead`);
      const provinceCode = input.provinceCode === undefined ? await scopes.resolveScope() : input.provinceCode;
      return get(await repo.insert({ ...input, provinceCode }, describePrincipal(principal)));
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
