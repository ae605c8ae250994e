/**
 * Golden fixtures: test/fixtures/in/coverage-*.geojson (communes with `kind: 'commune'`, radios as
 * points with `kind: 'radio'`) → test/fixtures/out/ the same name: communes with their figures,
 * footprint polygons and a province roll-up (a feature with null geometry), all rounded so float
 * noise cannot break them. Open either side in any GeoJSON viewer. `REGEN=1` rewrites outputs; without
 * it a missing output fails.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Point, Polygon } from 'geojson';
import {
  computeCommuneCoverage,
  footprintPolygon,
  provinceRollup,
  type CoverageCommune,
  type CoverageRadio,
} from '../../../server/coverage/engine';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const IN_DIR = path.join(FIXTURES, 'in');
const OUT_DIR = path.join(FIXTURES, 'out');
const REGEN = process.env.REGEN === '1';

/** Decimals kept: km² to 1 m², percentages to 1e-4 points, people to 0.01, coordinates to ~0.1 m. */
const KM2_DECIMALS = 6;
const PCT_DECIMALS = 4;
const PEOPLE_DECIMALS = 2;
const COORD_DECIMALS = 6;

const round = (value: number, decimals: number) => Number(value.toFixed(decimals));

function roundFigure<T extends { areaKm2: number; coveredKm2: number; areaPct: number; coveredPopulation: number; populationPct: number }>(f: T): T {
  return {
    ...f,
    areaKm2: round(f.areaKm2, KM2_DECIMALS),
    coveredKm2: round(f.coveredKm2, KM2_DECIMALS),
    areaPct: round(f.areaPct, PCT_DECIMALS),
    coveredPopulation: round(f.coveredPopulation, PEOPLE_DECIMALS),
    populationPct: round(f.populationPct, PCT_DECIMALS),
  };
}

/** One feature per line: readable diffs without a 10,000-line file. */
function formatCollection(features: Feature[]): string {
  return `{"type":"FeatureCollection","features":[\n${features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
}

function readInput(file: string): { communes: CoverageCommune[]; radios: CoverageRadio[] } {
  const collection = JSON.parse(readFileSync(path.join(IN_DIR, file), 'utf8')) as FeatureCollection<Geometry, Record<string, unknown>>;
  const communes: CoverageCommune[] = [];
  const radios: CoverageRadio[] = [];
  for (const feature of collection.features) {
    const p = feature.properties ?? {};
    if (p.kind === 'commune') {
      communes.push({ code: String(p.code), population: Number(p.population), geometry: feature.geometry as Polygon | MultiPolygon });
    } else if (p.kind === 'radio') {
      const [lon, lat] = (feature.geometry as Point).coordinates;
      radios.push({
        operator: String(p.operator),
        technology: p.technology as CoverageRadio['technology'],
        lon,
        lat,
        radiusM: Number(p.radiusM),
        azimuthDeg: (p.azimuthDeg as number | undefined) ?? null,
        beamwidthDeg: (p.beamwidthDeg as number | undefined) ?? null,
      });
    }
  }
  return { communes, radios };
}

function expectedOutput(file: string): string {
  const { communes, radios } = readInput(file);
  const figures = computeCommuneCoverage(communes, radios);
  const communeFeatures: Feature[] = communes.map((c) => ({
    type: 'Feature',
    geometry: c.geometry,
    properties: {
      kind: 'commune',
      code: c.code,
      figures: figures
        .filter((f) => f.communeCode === c.code)
        .map(({ communeCode: _code, ...rest }) => roundFigure(rest)),
    },
  }));
  const footprints: Feature[] = radios
    .filter((r) => r.radiusM > 0)
    .map((r) => {
      const polygon = footprintPolygon(r);
      polygon.coordinates = polygon.coordinates.map((ring) => ring.map((p) => p.map((v) => round(v, COORD_DECIMALS))));
      return { type: 'Feature', geometry: polygon, properties: { kind: 'footprint', operator: r.operator, technology: r.technology, radiusM: r.radiusM } };
    });
  const rollup: Feature = { type: 'Feature', geometry: null as unknown as Geometry, properties: { kind: 'province', rollup: provinceRollup(figures).map(roundFigure) } };
  return formatCollection([...communeFeatures, ...footprints, rollup]);
}

const inputs = existsSync(IN_DIR) ? readdirSync(IN_DIR).filter((f) => /^coverage-.*\.geojson$/.test(f)) : [];

describe('golden coverage fixtures', () => {
  it('has fixtures to check', () => {
    expect(inputs.length).toBeGreaterThan(0);
  });

  for (const file of inputs) {
    it(file, () => {
      const actual = expectedOutput(file);
      const outFile = path.join(OUT_DIR, file);
      if (REGEN) {
        mkdirSync(OUT_DIR, { recursive: true });
        writeFileSync(outFile, actual);
      }
      // A missing expectation is a failure, never written on the fly: a fixture that produced its
      // own output would pass whatever the engine computes.
      expect(existsSync(outFile), `${path.relative(FIXTURES, outFile)} is missing: run with REGEN=1 to write it, then check it`).toBe(true);
      expect(actual).toBe(readFileSync(outFile, 'utf8'));
    });
  }
});
