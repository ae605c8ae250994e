/** What the service keeps of the radios: fingerprints, reach, and the memoised radius model. */
import { describe, expect, it } from 'vitest';
import { EMPTY_SUM, addRadios, createRadiusResolver, toEngineRadios, type EngineRadio } from '../../../server/coverage/coverage.model';
import type { ActiveRadio, CommuneForCoverage } from '../../../server/coverage/coverage.repo';
import { knownOperators, radiosReaching } from '../../../server/coverage/radio-state';
import { computeCommuneCoverage, resolveRadiusM, TECHNOLOGIES, type Environment } from '../../../server/coverage/engine';
import { offset, squareAround } from './analytic';
import { syntheticRadios } from './synthetic';

const CENTRE: [number, number] = [105.3, 21.3];
const engineRadios = (n: number, seed = 1): EngineRadio[] =>
  syntheticRadios([{ lon: CENTRE[0], lat: CENTRE[1], kind: 'xa', densityPerKm2: 300 }], n, 6000, seed)
    .map((r, i) => ({ ...r, radioId: i + 1, stationId: Math.floor(i / 3) + 1, siteCode: `S${i}` }));

/** A 4 × 4 grid of 4 km squares around CENTRE. */
const grid = () => Array.from({ length: 16 }, (_, i) => {
  const { polygon } = squareAround(offset(CENTRE, ((i % 4) - 1.5) * 4000, (Math.floor(i / 4) - 1.5) * 4000), 2000);
  return { code: String(i).padStart(5, '0'), population: 500, geometry: { type: 'MultiPolygon' as const, coordinates: [polygon.coordinates] } };
});

describe('radio fingerprints (addRadios)', () => {
  it('do not depend on order, and follow a swap of some radios exactly', () => {
    const radios = engineRadios(300);
    const sum = addRadios(EMPTY_SUM, radios);
    expect(addRadios(EMPTY_SUM, [...radios].reverse())).toEqual(sum);
    const moved = radios.slice(0, 10).map((r) => ({ ...r, lon: r.lon + 0.001 }));
    const swapped = addRadios(addRadios(sum, radios.slice(0, 10), -1), moved);
    expect(swapped).toEqual(addRadios(EMPTY_SUM, [...moved, ...radios.slice(10)]));
    expect(swapped).not.toEqual(sum);
    expect(addRadios(sum, [{ ...radios[0], azimuthDeg: 0 }])).not.toEqual(addRadios(sum, [radios[0]]));
  });
});

describe('radiosReaching', () => {
  it('leaving out the radios that cannot reach the communes asked for changes no figure', () => {
    const communes = grid().slice(5, 7);
    const radios = engineRadios(600, 11);
    const operators = knownOperators(radios);
    const near = radiosReaching(communes, radios);
    expect(near.length).toBeLessThan(radios.length);
    expect(computeCommuneCoverage(communes, near, { operators })).toEqual(computeCommuneCoverage(communes, radios, { operators }));
  });
});

describe('knownOperators', () => {
  it('lists the operators of each technology, sorted, and merges', () => {
    const k = knownOperators([{ technology: '4G', operator: 'vnpt' }, { technology: '4G', operator: 'viettel' }]);
    expect(k).toEqual({ '2G': [], '3G': [], '4G': ['viettel', 'vnpt'], '5G': [] });
    const more = knownOperators([{ technology: '5G', operator: 'viettel' }], k);
    expect(more['5G']).toEqual(['viettel']);
  });
});

describe('createRadiusResolver', () => {
  it('gives what resolveRadiusM gives, explicit radius first', () => {
    const resolve = createRadiusResolver();
    const environments: Environment[] = ['urban', 'suburban', 'rural'];
    for (const technology of TECHNOLOGIES) for (const environment of environments) for (const heightM of [null, 12, 30, 45]) for (const bandMhz of [900, 1800, 2600, 3500]) {
      const site = { technology, bandMhz, heightM, environment };
      expect(resolve(null, site)).toBe(resolveRadiusM(null, site));
      expect(resolve(null, site)).toBe(resolveRadiusM(null, site)); // from the memo
      expect(resolve(750, site)).toBe(750);
    }
  });

  it('toEngineRadios resolves by the environment of the station commune', () => {
    const communes = new Map<string, CommuneForCoverage>([
      ['00001', { code: '00001', name: 'P', kind: 'phuong', population: 50_000, areaKm2: 5, geometry: { type: 'MultiPolygon', coordinates: [] } }],
      ['00002', { code: '00002', name: 'X', kind: 'xa', population: 2_000, areaKm2: 40, geometry: { type: 'MultiPolygon', coordinates: [] } }],
    ]);
    const row = (communeCode: string | null, radiusM: number | null): ActiveRadio => ({
      radioId: 1, stationId: 1, operator: 'viettel', siteCode: 'S', technology: '4G', bandMhz: 1800, heightM: 30, azimuthDeg: null, beamwidthDeg: null,
      radiusM, lon: 105, lat: 21, communeCode,
    });
    const [urban, rural, nowhere, explicit] = toEngineRadios([row('00001', null), row('00002', null), row(null, null), row('00001', 640)], communes);
    expect(urban.radiusM).toBe(resolveRadiusM(null, { technology: '4G', bandMhz: 1800, heightM: 30, environment: 'urban' }));
    expect(rural.radiusM).toBe(resolveRadiusM(null, { technology: '4G', bandMhz: 1800, heightM: 30, environment: 'rural' }));
    expect(nowhere.radiusM).toBe(rural.radiusM);
    expect(explicit.radiusM).toBe(640);
  });
});
