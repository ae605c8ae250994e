import { stampedCache } from '../db/versioned-cache';
import { NotFoundError } from '../errors';
import type { CommunesRepo } from './communes.repo';
import { BOUNDARY_ATTRIBUTION } from './communes.schema';
import { resolveScope, type Scope } from '../provinces/scope';

/**
 * Communes and their boundaries. The province's feature collections (what the map opens with, and
 * the exports) are built once per version of the data, not per request: the same object until a
 * write, which the routes serialise once (sendJson).
 */
export function createCommunesService(repo: CommunesRepo, dataVersions: () => Promise<string>) {
  const cached = stampedCache(dataVersions, 16);

  async function buildFeatureCollection(detail: 'display' | 'overview', scope: Scope) {
    const features = (await repo.displayFeatures(detail)).filter((f) => scope === null || f.properties.provinceCode === scope);
    return {
      type: 'FeatureCollection' as const,
      attribution: BOUNDARY_ATTRIBUTION,
      features: features.map((f) => ({ type: 'Feature' as const, id: Number(f.properties.code), properties: f.properties, geometry: f.geometry })),
    };
  }

  return {
    /** The data versions (`data_versions`) as one string: what the answer caches are keyed by. */
    dataVersions,

    /** The communes of a province, or (scope null or absent) of the whole database. */
    async list(scope: Scope = null) {
      const all = await cached('list', () => repo.list());
      return scope === null ? all : all.filter((c) => c.provinceCode === scope);
    },

    /** What an answer asked with `province=` (or without) is about (server/provinces/scope.ts). */
    async resolveScope(requested?: string): Promise<Scope> {
      const held = await cached('held', async () => [...new Set((await repo.list()).map((c) => c.provinceCode))].sort());
      return resolveScope(requested, held);
    },

    /** Every commune (of a province) with its display (or overview) geometry; never change the object returned. */
    featureCollection: (detail: 'display' | 'overview' = 'display', scope: Scope = null) =>
      cached(`${detail}|${scope ?? ''}`, () => buildFeatureCollection(detail, scope)),

    async get(code: string, geometry: 'full' | 'display') {
      const commune = await repo.get(code, geometry);
      if (!commune) throw new NotFoundError(`no commune with code ${code}`);
      const { geometry: geom, ...properties } = commune;
      return { type: 'Feature' as const, id: Number(code), properties: { ...properties, attribution: BOUNDARY_ATTRIBUTION }, geometry: geom };
    },
  };
}

export type CommunesService = ReturnType<typeof createCommunesService>;
