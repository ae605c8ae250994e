import { stampedCache } from '../db/versioned-cache';
import { describePopulationRaster, readPopulationGrid, type PopulationRasterInfo } from './population-raster';
import type { PopulationRepo } from './population.repo';
import { EVEN_SPREAD_MODEL, type DensityFeature, type PopulationDensityAnswer, type PopulationModel } from './population.schema';

export interface PopulationServiceDeps {
  repo: PopulationRepo;
  /** The data versions (communes and the rest): a new version recomputes the layer. */
  dataVersions: () => Promise<string>;
  /** The configured POPULATION_RASTER; null: the even spread everywhere. */
  populationRaster: string | null;
}

const EVEN_ATTRIBUTION = 'Population: official 2025 commune figures, spread evenly over each commune (no population grid)';

/**
 * The population density as the figures use it: each commune's official population spread over
 * the commune by the grid (dasymetric), or evenly without one. Built once per data version for
 * the whole province; a view's box only filters the pieces.
 */
export function createPopulationService({ repo, dataVersions, populationRaster }: PopulationServiceDeps) {
  const cached = stampedCache(dataVersions, 16);
  let described: Promise<PopulationRasterInfo> | null = null;
  const describe = (file: string) => (described ??= describePopulationRaster(file).catch((err) => {
    described = null;
    throw err;
  }));

  async function model(): Promise<{ model: PopulationModel; attribution: string }> {
    if (!populationRaster) return { model: EVEN_SPREAD_MODEL, attribution: EVEN_ATTRIBUTION };
    const info = await describe(populationRaster);
    return {
      model: { kind: 'grid', id: info.id, name: info.name, year: info.year, licence: info.licence, sha256: info.sha256 },
      attribution: `${info.attribution}; spread over each commune's official 2025 population (people are even inside one cell)`,
    };
  }

  async function build(): Promise<{ answer: PopulationDensityAnswer; bboxes: Array<[number, number, number, number]> }> {
    const [{ model: populationModel, attribution }, extent] = await Promise.all([model(), repo.extent()]);
    const grid = populationRaster && extent ? await readPopulationGrid(populationRaster, extent) : null;
    const rows = await repo.densityPieces(grid);
    const features: DensityFeature[] = rows.map((r) => ({
      type: 'Feature',
      properties: { communeCode: r.communeCode, densityPerKm2: Math.round(r.densityPerKm2 * 10) / 10, spread: r.spread },
      geometry: r.geometry,
    }));
    return { answer: { type: 'FeatureCollection', populationModel, attribution, features }, bboxes: rows.map((r) => r.bbox) };
  }

  return {
    /** The population model in use (its name, year, licence and digest). */
    model: async () => (await model()).model,

    /** GeoJSON of the density pieces meeting `bbox` (all without one); never change the object returned. */
    density(bbox?: readonly [number, number, number, number]): Promise<PopulationDensityAnswer> {
      const whole = () => cached('all', build);
      if (!bbox) return whole().then((w) => w.answer);
      return cached(`bbox:${bbox.join(',')}`, async () => {
        const { answer, bboxes } = await whole();
        const [w, s, e, n] = bbox;
        return { ...answer, features: answer.features.filter((_, i) => bboxes[i][0] <= e && bboxes[i][2] >= w && bboxes[i][1] <= n && bboxes[i][3] >= s) };
      });
    },
  };
}

export type PopulationService = ReturnType<typeof createPopulationService>;
