/**
 * Per-commune coverage by technology and operator: the numbers planners quote.
 *
 * Method: scanline integration on the WGS84 ellipsoid. Each commune is cut into parallels of
 * latitude `rowSpacingM` apart (default 25 m). On each parallel the commune's longitude intervals
 * are exact (edge crossings, even-odd for holes and parts), and so is each footprint's chord: a
 * disc gives sqrt(r² − dy²) either side of the antenna, a sector that chord clipped by the wedge's
 * two half-planes. The footprints' union is intersected with the commune on the row and its length
 * is multiplied by the band's true area per degree of longitude (N cos φ · M · Δφ). Only the
 * north–south direction is sampled (midpoint rule), so the error is confined to where boundaries
 * curve across rows, and it averages out because rows do not align with antennas. Its error at
 * 25 m against analytic discs, analytic fixtures and exact PostGIS unions of the real communes is
 * in test/bench/README.md.
 *
 * Footprints are true ground circles (geodesic radius). PostGIS `ST_Buffer` in UTM 48N draws a
 * circle of r grid metres, which is r/k ground metres (k ≈ 0.9996–0.9997 here): about 11 m too
 * large at 27 km, enough to move a commune by 0.3 points. A reference should buffer by r·k.
 *
 * Why not the alternatives:
 *  - union of Turf circles (what PostGIS does exactly): slow for a thousand circles and out of
 *    memory for the province's radios (test/bench/README.md), and a 64-step polygon is 0.16 %
 *    smaller than its circle;
 *  - grid or H3 cells (regulators): each cell is all-or-nothing, so a 100 m grid is only right on
 *    average; rows make the east–west direction exact at no extra cost and need no projection;
 *  - projecting to UTM 48N: one more dependency for what two radii of curvature do, and its
 *    scale factor would bias radii as above.
 * Cost: one Flatbush query per commune, then per row only the footprints crossing it (see
 * commune-integral.ts for the shortcuts); the full-resolution communes of Phú Thọ are timed by
 * test/unit/coverage/timing.script.ts, the figures in test/bench/README.md.
 * Not handled: communes or footprints across the antimeridian or near a pole.
 */
import { integrateCommune, type GroupLayout } from './commune-integral';
import { prepareRadios } from './radio-rows';
import type { PreparedGrid } from './population';
import {
  ALL_OPERATORS,
  TECHNOLOGIES,
  type CoverageCommune,
  type CoverageFigure,
  type CoverageOptions,
  type CoverageRadio,
  type ProvinceFigure,
  type Technology,
} from './types';

/** Default north–south distance between integration rows, metres (half Ofcom's 50 m grid). */
export const DEFAULT_ROW_SPACING_M = 25;

/** One (technology, operator) pair a figure is emitted for; index = position in the list. */
interface Group {
  technology: Technology;
  operator: string;
}

function validateRadio(radio: CoverageRadio, i: number): void {
  const where = `radio ${i} (${radio.operator} ${radio.technology})`;
  if (!TECHNOLOGIES.includes(radio.technology)) throw new RangeError(`${where}: unknown technology`);
  if (radio.operator === ALL_OPERATORS) throw new RangeError(`${where}: '${ALL_OPERATORS}' is reserved for the combined figure`);
  if (!(Math.abs(radio.lon) <= 180 && Math.abs(radio.lat) < 90)) throw new RangeError(`${where}: position out of range`);
  if (!(Number.isFinite(radio.radiusM) && radio.radiusM >= 0)) throw new RangeError(`${where}: radius must be ≥ 0 m`);
}

/**
 * Groups in emission order: for each technology, 'all' first, then every operator with at least one
 * radio of that technology (any radius, anywhere) or named for it in `extra`, sorted.
 */
function buildGroups(radios: readonly CoverageRadio[], technologies: readonly Technology[], extra: CoverageOptions['operators'] = {}): Group[] {
  const groups: Group[] = [];
  for (const technology of technologies) {
    const named = extra[technology] ?? [];
    for (const operator of named) if (operator === ALL_OPERATORS) throw new RangeError(`operators.${technology}: '${ALL_OPERATORS}' is reserved for the combined figure`);
    const operators = [...new Set([...radios.filter((r) => r.technology === technology).map((r) => r.operator), ...named])].sort();
    groups.push({ technology, operator: ALL_OPERATORS });
    for (const operator of operators) groups.push({ technology, operator });
  }
  return groups;
}

/**
 * Coverage of each commune by each technology, per operator and for all operators combined.
 * Emits one figure per commune × technology × group, zeros included, in commune order, then
 * technology order, then 'all' followed by the operators (sorted) that have at least one radio of
 * that technology in `radios` or are named in `options.operators`. A commune's population is spread
 * in proportion to `options.population`'s density (dasymetric: each cell's share by the part of it
 * inside the commune), so its figures always sum to the commune's own population; without a grid,
 * or where the grid has no people in the commune, evenly (then populationPct = areaPct). To recompute only some communes, pass those
 * communes and the radios whose footprint box meets theirs (no other radio can change their
 * figures), with `options.operators` naming every operator so that the rows stay the same.
 *
 * @param communes WGS84 polygons with population
 * @param radios footprints with resolved radii (metres); radius 0 covers nothing
 * @param options.rowSpacingM distance between integration rows, metres (default 25)
 * @param options.technologies technologies to emit (default 2G, 3G, 4G, 5G)
 * @param options.operators operators to emit (zero) figures for per technology besides those with radios
 * @param options.population population density grid (prepareGrid), or none for the even spread
 */
export function computeCommuneCoverage(
  communes: readonly CoverageCommune[],
  radios: readonly CoverageRadio[],
  options: CoverageOptions = {},
): CoverageFigure[] {
  const one = coverageComputation(radios, options);
  return communes.flatMap((c) => one(c));
}

/**
 * computeCommuneCoverage in two steps, for a caller that paces its work (a server yielding to
 * other requests between communes): the radios are prepared once, then each call computes one
 * commune's figures, exactly as computeCommuneCoverage would.
 */
export function coverageComputation(radios: readonly CoverageRadio[], options: CoverageOptions = {}): (commune: CoverageCommune) => CoverageFigure[] {
  const rowSpacingM = options.rowSpacingM ?? DEFAULT_ROW_SPACING_M;
  if (!(Number.isFinite(rowSpacingM) && rowSpacingM > 0)) throw new RangeError(`rowSpacingM must be positive: ${rowSpacingM}`);
  const technologies = [...new Set(options.technologies ?? TECHNOLOGIES)];
  for (const t of technologies) if (!TECHNOLOGIES.includes(t)) throw new RangeError(`unknown technology: ${t}`);
  radios.forEach(validateRadio);

  const groups = buildGroups(radios, technologies, options.operators);
  const groupIndex = new Map(groups.map((g, i) => [`${g.technology}\u0000${g.operator}`, i]));
  const prepared = prepareRadios(radios, (r) => {
    const own = groupIndex.get(`${r.technology}\u0000${r.operator}`);
    const all = groupIndex.get(`${r.technology}\u0000${ALL_OPERATORS}`);
    return own === undefined || all === undefined ? null : [own, all];
  });
  const layout: GroupLayout = {
    count: groups.length,
    operatorGroups: groups.flatMap((g, i) => (g.operator === ALL_OPERATORS ? [] : [i])),
    allGroups: groups.flatMap((g, i) => (g.operator === ALL_OPERATORS ? [i] : [])),
    allOf: Int32Array.from(groups, (g) => groupIndex.get(`${g.technology}\u0000${ALL_OPERATORS}`)!),
  };

  const grid = options.population ?? null;
  return (commune) => {
    const { areaKm2, coveredKm2, weight, coveredWeight } = integrateCommune(commune.geometry, prepared, layout, rowSpacingM, grid);
    // The grid spreads the commune's people only where it has some inside it; else evenly.
    const byGrid = weight > 0;
    return groups.map((group, g) => {
      // Rows sum in a different order for the commune and its footprints: cap the ulp-level excess.
      const covered = Math.min(coveredKm2[g], areaKm2);
      const fraction = areaKm2 > 0 ? covered / areaKm2 : 0;
      const peopleFraction = byGrid ? Math.min(1, coveredWeight[g] / weight) : fraction;
      return {
        communeCode: commune.code,
        technology: group.technology,
        operator: group.operator,
        areaKm2,
        coveredKm2: covered,
        areaPct: 100 * fraction,
        population: commune.population,
        coveredPopulation: commune.population * peopleFraction,
        populationPct: 100 * peopleFraction,
        populationSpread: byGrid ? 'grid' : 'even',
      };
    });
  };
}

/**
 * Province roll-ups per technology and operator, in first-seen order: areaPct is area-weighted
 * (Σ covered km² / Σ km²), populationPct population-weighted (Σ covered people / Σ people).
 */
export function provinceRollup(figures: CoverageFigure[]): ProvinceFigure[] {
  const byKey = new Map<string, ProvinceFigure>();
  for (const f of figures) {
    const key = `${f.technology}\u0000${f.operator}`;
    let sum = byKey.get(key);
    if (!sum) {
      sum = { technology: f.technology, operator: f.operator, areaKm2: 0, coveredKm2: 0, areaPct: 0, population: 0, coveredPopulation: 0, populationPct: 0 };
      byKey.set(key, sum);
    }
    sum.areaKm2 += f.areaKm2;
    sum.coveredKm2 += f.coveredKm2;
    sum.population += f.population;
    sum.coveredPopulation += f.coveredPopulation;
  }
  for (const sum of byKey.values()) {
    sum.areaPct = sum.areaKm2 > 0 ? (100 * sum.coveredKm2) / sum.areaKm2 : 0;
    sum.populationPct = sum.population > 0 ? (100 * sum.coveredPopulation) / sum.population : 0;
  }
  return [...byKey.values()];
}

/**
 * ∫ over a commune of a population grid's density (people if the grid's totals were right): the
 * denominator of the dasymetric spread, as computeCommuneCoverage uses it; 0 where the grid has
 * no people in the commune.
 */
export function populationWeight(geometry: CoverageCommune['geometry'], grid: PreparedGrid, rowSpacingM = DEFAULT_ROW_SPACING_M): number {
  const none = prepareRadios([], () => null);
  return integrateCommune(geometry, none, { count: 0, operatorGroups: [], allGroups: [], allOf: new Int32Array(0) }, rowSpacingM, grid).weight;
}
