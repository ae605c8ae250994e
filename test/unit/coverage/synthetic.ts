/**
 * Deterministic synthetic radios for timing and cross-checks: clustered around given centres like
 * real sites, radii from the default link budget, a third of them sectors. Not a test by itself.
 */
import { environmentFor, estimateRadiusM, type CoverageRadio, type Technology } from '../../../server/coverage/engine';

/** Small seeded PRNG (mulberry32) so every run draws the same radios. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SiteCentre {
  lon: number;
  lat: number;
  kind: 'xa' | 'phuong';
  densityPerKm2: number;
}

const OPERATORS = ['mobifone', 'vinaphone', 'viettel', 'vietnamobile'];
const TECH_MIX: Technology[] = ['2G', '3G', '4G', '4G', '4G', '5G'];

/**
 * `count` radios scattered within about spreadM of the centres (Gaussian-ish), operator and
 * technology drawn from fixed mixes.
 */
export function syntheticRadios(centres: readonly SiteCentre[], count: number, spreadM = 4000, seed = 42): CoverageRadio[] {
  const random = seededRandom(seed);
  const radios: CoverageRadio[] = [];
  for (let i = 0; i < count; i++) {
    const c = centres[Math.floor(random() * centres.length)];
    const gauss = () => (random() + random() + random() - 1.5) * 2;
    const lat = c.lat + (gauss() * spreadM) / 110_700;
    const lon = c.lon + (gauss() * spreadM) / 103_900;
    const technology = TECH_MIX[Math.floor(random() * TECH_MIX.length)];
    const operator = OPERATORS[Math.floor(random() * OPERATORS.length)];
    const environment = environmentFor(c.kind, c.densityPerKm2);
    const radiusM = estimateRadiusM({ technology, environment, heightM: 20 + random() * 30 });
    const sectored = random() < 1 / 3;
    radios.push({
      operator,
      technology,
      lon,
      lat,
      radiusM,
      azimuthDeg: sectored ? Math.floor(random() * 360) : null,
      beamwidthDeg: sectored ? [65, 90, 120, 240][Math.floor(random() * 4)] : null,
    });
  }
  return radios;
}
