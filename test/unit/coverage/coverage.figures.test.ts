/** What computeCommuneCoverage emits and how provinceRollup weighs it. */
import { describe, expect, it } from 'vitest';
import type { Position } from 'geojson';
import { computeCommuneCoverage, provinceRollup, type CoverageCommune, type CoverageRadio } from '../../../server/coverage/engine';
import { discAreaKm2, lensAreaKm2, offset, squareAround } from './analytic';

const CENTRE: Position = [105.2, 21.3];
const small: CoverageCommune = { code: '00001', population: 9_000, geometry: squareAround(CENTRE, 2500).polygon };
const large: CoverageCommune = { code: '00002', population: 1_000, geometry: squareAround(offset(CENTRE, 20_000, 0), 5000).polygon };

function radio(at: Position, radiusM: number, operator: string, technology: CoverageRadio['technology'] = '4G'): CoverageRadio {
  return { operator, technology, lon: at[0], lat: at[1], radiusM };
}

describe('computeCommuneCoverage figures', () => {
  it('emits every commune × technology × (all + operators with that technology), zeros included', () => {
    const radios = [radio(CENTRE, 1000, 'viettel'), radio(CENTRE, 1000, 'vinaphone'), radio(CENTRE, 500, 'viettel', '5G')];
    const figures = computeCommuneCoverage([small, large], radios);
    const keys = figures.filter((f) => f.communeCode === small.code).map((f) => `${f.technology}:${f.operator}`);
    expect(keys).toEqual(['2G:all', '3G:all', '4G:all', '4G:viettel', '4G:vinaphone', '5G:all', '5G:viettel']);
    expect(figures).toHaveLength(14);
    const far = figures.filter((f) => f.communeCode === large.code);
    expect(far.every((f) => f.coveredKm2 === 0 && f.areaPct === 0 && f.coveredPopulation === 0)).toBe(true);
    expect(far.every((f) => f.areaKm2 > 99 && f.areaKm2 < 101)).toBe(true);
  });

  it('an empty radio list gives zeros for every technology', () => {
    const figures = computeCommuneCoverage([small, large], []);
    expect(figures).toHaveLength(8);
    expect(figures.every((f) => f.operator === 'all' && f.coveredKm2 === 0 && f.populationPct === 0)).toBe(true);
    expect(figures[0].areaKm2).toBeCloseTo(25, 2);
  });

  it('splits by operator; all operators combined is their union', () => {
    const radios = [radio(offset(CENTRE, -600, 0), 1000, 'viettel'), radio(offset(CENTRE, 600, 0), 1000, 'mobifone')];
    const figures = computeCommuneCoverage([small], radios, { technologies: ['4G'] });
    const by = Object.fromEntries(figures.map((f) => [f.operator, f]));
    expect(Object.keys(by)).toEqual(['all', 'mobifone', 'viettel']);
    expect(by.viettel.coveredKm2 / discAreaKm2(1000)).toBeCloseTo(1, 3);
    expect(by.mobifone.coveredKm2 / discAreaKm2(1000)).toBeCloseTo(1, 3);
    const union = 2 * discAreaKm2(1000) - lensAreaKm2(1000, 1000, 1200);
    expect(by.all.coveredKm2 / union).toBeCloseTo(1, 3);
    expect(by.all.coveredKm2).toBeLessThan(by.viettel.coveredKm2 + by.mobifone.coveredKm2);
  });

  it('spreads population evenly: populationPct = areaPct', () => {
    const [figure] = computeCommuneCoverage([small], [radio(CENTRE, 1500, 'viettel')], { technologies: ['4G'] });
    expect(figure.populationPct).toBe(figure.areaPct);
    expect(figure.coveredPopulation).toBeCloseTo((small.population * figure.areaPct) / 100, 6);
    expect(figure.areaPct).toBeCloseTo((100 * figure.coveredKm2) / figure.areaKm2, 10);
  });

  it('a radio with radius 0 covers nothing but still names its operator', () => {
    const figures = computeCommuneCoverage([small], [radio(CENTRE, 0, 'gmobile', '2G')], { technologies: ['2G'] });
    expect(figures.map((f) => [f.operator, f.coveredKm2])).toEqual([
      ['all', 0],
      ['gmobile', 0],
    ]);
  });

  it('operators option adds rows of 0 % for operators without a radio of that technology', () => {
    const figures = computeCommuneCoverage([small], [radio(CENTRE, 800, 'viettel', '5G')], { technologies: ['5G'], operators: { '5G': ['vnpt', 'viettel'], '4G': ['x'] } });
    expect(figures.map((f) => `${f.technology}:${f.operator}`)).toEqual(['5G:all', '5G:viettel', '5G:vnpt']);
    expect(figures[2]).toMatchObject({ coveredKm2: 0, areaPct: 0, populationPct: 0 });
    expect(() => computeCommuneCoverage([small], [], { operators: { '4G': ['all'] } })).toThrow(RangeError);
  });

  it('technologies option restricts the output and ignores other radios', () => {
    const figures = computeCommuneCoverage([small], [radio(CENTRE, 1000, 'viettel', '3G'), radio(CENTRE, 800, 'viettel', '5G')], {
      technologies: ['5G'],
    });
    expect(figures.map((f) => `${f.technology}:${f.operator}`)).toEqual(['5G:all', '5G:viettel']);
    expect(figures[0].coveredKm2 / discAreaKm2(800)).toBeCloseTo(1, 2);
  });

  it('rejects radios and options it cannot count', () => {
    expect(() => computeCommuneCoverage([small], [radio(CENTRE, 100, 'all')])).toThrow(RangeError);
    expect(() => computeCommuneCoverage([small], [radio([Number.NaN, 21], 100, 'viettel')])).toThrow(RangeError);
    expect(() => computeCommuneCoverage([small], [radio(CENTRE, -1, 'viettel')])).toThrow(RangeError);
    expect(() => computeCommuneCoverage([small], [], { rowSpacingM: 0 })).toThrow(RangeError);
  });
});

describe('provinceRollup', () => {
  it('weights area percentages by area and population percentages by population', () => {
    // Small commune: 25 km², 9,000 people, fully covered. Large: 100 km², 1,000 people, none.
    const figures = computeCommuneCoverage([small, large], [radio(CENTRE, 10_000, 'viettel')], { technologies: ['4G'] });
    const rollup = provinceRollup(figures);
    expect(rollup.map((r) => r.operator)).toEqual(['all', 'viettel']);
    const all = rollup[0];
    expect(all.areaKm2).toBeCloseTo(figures[0].areaKm2 + figures[2].areaKm2, 9);
    expect(all.areaPct).toBeCloseTo((100 * 25) / 125, 1);
    expect(all.population).toBe(10_000);
    expect(all.coveredPopulation).toBeCloseTo(9_000, 6);
    expect(all.populationPct).toBeCloseTo(90, 6);
  });

  it('is empty for no figures and zero (not NaN) for zero areas and populations', () => {
    expect(provinceRollup([])).toEqual([]);
    const [r] = provinceRollup([
      { communeCode: 'x', technology: '2G', operator: 'all', areaKm2: 0, coveredKm2: 0, areaPct: 0, population: 0, coveredPopulation: 0, populationPct: 0, populationSpread: 'even' },
    ]);
    expect(r.areaPct).toBe(0);
    expect(r.populationPct).toBe(0);
  });
});
