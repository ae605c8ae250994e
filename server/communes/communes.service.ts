import { stampedCache } from '../db/versioned-cache';
import { NotFoundError } from '../errors';
import type { CommunesRepo } from './communes.repo';
import { BOUNDARY_ATTRIBUTION } from './communes.schema';

/**
 * Communes and their boundaries. The province's feature collections (what the map opens with, and
 * the exports) are built once per version of the data, not per request: the same object until a
 * write, which the routes serialise once (sendJson).
 */
export function createCommunesService(repo: CommunesRepo, dataVersions: () => Promise<string>) {
  const cached = stampedCache(dataVersions, 2);

  async function buildFeatureCollection(detail: 'display' | 'overview') {
    const features = await repo.displayFeatures(detail);
    return {
      type: 'FeatureCollection' as const,
      attribution: BOUNDARY_ATTRIBUTION,
      features: features.map((f) => ({ type: 'Feature' as const, id: Number(f.properties.code), properties: f.properties, geometry: f.geometry })),
    };
  }

  return {
    /** The data versions (`data_versions`) as one string: what the answer caches are keyed by. */
    dataVersions,

    list: () => repo.list(),

    /** Every commune with its display (or overview) geometry; never change the object returned. */
    featureCollection: (detail: 'display' | 'overview' = 'display') => cached(detail, () => buildFeatureCollection(detail)),

    async get(code: string, geometry: 'full' | 'display') {
      const commune = await repo.get(code, geometry);
      if (!commune) throw new NotFoundError(`no commune with code ${code}`);
      const { geometry: geom, ...properties } = commune;
      return { type: 'Feature' as const, id: Number(code), properties: { ...properties, attribution: BOUNDARY_ATTRIBUTION }, geometry: geom };
    },
  };
}

export type CommunesService = ReturnType<typeof createCommunesService>;
