import { NotFoundError } from '../errors';
import type { CommunesRepo } from './communes.repo';
import { BOUNDARY_ATTRIBUTION } from './communes.schema';

export function createCommunesService(repo: CommunesRepo) {
  return {
    list: () => repo.list(),

    async featureCollection(detail: 'display' | 'overview' = 'display') {
      const features = await repo.displayFeatures(detail);
      return {
        type: 'FeatureCollection' as const,
        attribution: BOUNDARY_ATTRIBUTION,
        features: features.map((f) => ({ type: 'Feature' as const, id: Number(f.properties.code), properties: f.properties, geometry: f.geometry })),
      };
    },

    async get(code: string, geometry: 'full' | 'display') {
      const commune = await repo.get(code, geometry);
      if (!commune) throw new NotFoundError(`no commune with code ${code}`);
      const { geometry: geom, ...properties } = commune;
      return { type: 'Feature' as const, id: Number(code), properties: { ...properties, attribution: BOUNDARY_ATTRIBUTION }, geometry: geom };
    },
  };
}

export type CommunesService = ReturnType<typeof createCommunesService>;
