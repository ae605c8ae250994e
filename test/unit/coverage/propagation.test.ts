/**
 * Radius model: plausibility against radii computed by hand from Okumura–Hata, COST-231 Hata and
 * 3GPP TR 38.901 (base 30 m, user 1.5 m), monotonicity, the environment rule, clamps.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LINK_BUDGET,
  environmentFor,
  estimateRadiusM,
  maxPathLossDb,
  pathLossDb,
  radiusFromLinkBudget,
  resolveRadiusM,
  selectModel,
  shadowingMarginDb,
  type Environment,
  type LinkBudget,
  type Technology,
} from '../../../server/coverage/engine';

const ENVIRONMENTS: Environment[] = ['urban', 'suburban', 'rural'];

/** A budget whose allowed path loss is exactly `db` for every technology (no gains, margins). */
function flatBudget(db: number): LinkBudget {
  return {
    ...DEFAULT_LINK_BUDGET,
    maxCouplingLossDb: { '2G': db, '3G': db, '4G': db, '5G': db },
    baseAntennaGainDbi: 0,
    bodyLossDb: 0,
    cableLossDb: 0,
    cellEdgeProbability: 0.5,
  };
}

describe('plausible radii with the default budget (30 m mast, 1.5 m handset)', () => {
  it('4G at 1,800 MHz: 1–2 km urban, several km rural', () => {
    const urban = estimateRadiusM({ technology: '4G', bandMhz: 1800, heightM: 30, environment: 'urban' });
    const rural = estimateRadiusM({ technology: '4G', bandMhz: 1800, heightM: 30, environment: 'rural' });
    expect(urban).toBeGreaterThan(1000);
    expect(urban).toBeLessThan(2000);
    expect(rural).toBeGreaterThan(3000);
    expect(rural).toBeLessThan(15_000);
  });

  it('5G at 3,500 MHz: a few hundred metres urban', () => {
    const urban = estimateRadiusM({ technology: '5G', bandMhz: 3500, heightM: 30, environment: 'urban' });
    expect(urban).toBeGreaterThan(200);
    expect(urban).toBeLessThan(800);
  });

  it('2G at 900 MHz reaches farther than 4G at 1,800 MHz', () => {
    for (const environment of ENVIRONMENTS) {
      expect(estimateRadiusM({ technology: '2G', environment })).toBeGreaterThan(estimateRadiusM({ technology: '4G', environment }));
    }
  });

  it('budget defaults: 4G allows about 142.4 dB, 90 % edge with σ = 8 dB is a 10.25 dB margin', () => {
    expect(shadowingMarginDb(0.9, 8)).toBeCloseTo(10.25, 1);
    expect(shadowingMarginDb(0.5, 8)).toBeCloseTo(0, 6);
    expect(maxPathLossDb('4G')).toBeCloseTo(140.7 + 17 - 3 - 2 - 10.25, 1);
  });
});

describe('agrees with radii computed by hand from Hata and TR 38.901', () => {
  it('1,800 MHz at 140 dB: 1.3 km urban, 2.8 km suburban, about 10 km open', () => {
    const budget = flatBudget(140);
    const km = (environment: Environment) => estimateRadiusM({ technology: '4G', bandMhz: 1800, heightM: 30, environment }, budget) / 1000;
    expect(km('urban')).toBeCloseTo(1.3, 1);
    expect(km('suburban')).toBeCloseTo(2.8, 1);
    expect(km('rural')).toBeGreaterThan(9.5);
    expect(km('rural')).toBeLessThan(11);
  });

  it('5G 3.5 GHz UMa NLOS: 0.5 km at 130 dB, 0.9 km at 140 dB', () => {
    const km = (db: number) => estimateRadiusM({ technology: '5G', bandMhz: 3500, heightM: 25, environment: 'urban' }, flatBudget(db)) / 1000;
    expect(km(130)).toBeCloseTo(0.5, 1);
    expect(km(140)).toBeCloseTo(0.9, 1);
  });
});

describe('monotonicity', () => {
  const hataTechnologies: Technology[] = ['2G', '3G', '4G'];

  it('radius grows with antenna height (Hata, and 38.901 RMa outside cities)', () => {
    for (const technology of hataTechnologies) {
      for (const environment of ENVIRONMENTS) {
        const radii = [15, 30, 50, 80].map((heightM) => estimateRadiusM({ technology, heightM, environment }));
        for (let i = 1; i < radii.length; i++) expect(radii[i]).toBeGreaterThan(radii[i - 1]);
      }
    }
    const fiveG = [30, 50, 80].map((heightM) => estimateRadiusM({ technology: '5G', heightM, environment: 'rural' }));
    expect(fiveG[1]).toBeGreaterThan(fiveG[0]);
    expect(fiveG[2]).toBeGreaterThan(fiveG[1]);
  });

  it('5G urban (UMa NLOS has no base-height term) barely depends on height', () => {
    const low = estimateRadiusM({ technology: '5G', heightM: 20, environment: 'urban' });
    const high = estimateRadiusM({ technology: '5G', heightM: 50, environment: 'urban' });
    expect(Math.abs(high / low - 1)).toBeLessThan(0.01);
  });

  it('radius shrinks with frequency', () => {
    for (const environment of ENVIRONMENTS) {
      const lte = [700, 900, 1800, 2100, 2600].map((bandMhz) => estimateRadiusM({ technology: '4G', bandMhz, environment }));
      for (let i = 1; i < lte.length; i++) expect(lte[i]).toBeLessThan(lte[i - 1]);
      const nr = [700, 2600, 3500, 4900].map((bandMhz) => estimateRadiusM({ technology: '5G', bandMhz, environment }));
      for (let i = 1; i < nr.length; i++) expect(nr[i]).toBeLessThan(nr[i - 1]);
    }
  });

  it('urban < suburban < rural (5G: never smaller, strictly at 30 m)', () => {
    for (const technology of ['2G', '3G', '4G', '5G'] as Technology[]) {
      const [u, s, r] = ENVIRONMENTS.map((environment) => estimateRadiusM({ technology, heightM: 30, environment }));
      expect(u).toBeLessThan(s);
      expect(s).toBeLessThan(r);
    }
    for (const heightM of [10, 15, 20]) {
      const [u, s, r] = ENVIRONMENTS.map((environment) => estimateRadiusM({ technology: '5G', heightM, environment }));
      expect(s).toBeGreaterThanOrEqual(u);
      expect(r).toBeGreaterThanOrEqual(s);
    }
  });

  it('path loss grows with distance and the solver lands on the allowed loss', () => {
    for (const site of [
      { technology: '2G' as const, environment: 'rural' as const },
      { technology: '4G' as const, environment: 'urban' as const },
      { technology: '5G' as const, environment: 'urban' as const },
      { technology: '5G' as const, environment: 'suburban' as const },
    ]) {
      const losses = [100, 300, 1000, 3000, 10_000].map((d) => pathLossDb(site, d));
      for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeGreaterThan(losses[i - 1]);
      const { radiusM, maxPathLossDb: allowed } = radiusFromLinkBudget(site);
      expect(pathLossDb(site, radiusM)).toBeCloseTo(allowed, 6);
    }
  });
});

describe('model choice, environment rule, clamps', () => {
  it('picks Okumura-Hata, COST-231 Hata or TR 38.901 by band and technology', () => {
    expect(selectModel('2G', 900, 'urban')).toBe('okumura-hata');
    expect(selectModel('4G', 1800, 'urban')).toBe('cost231-hata');
    expect(selectModel('4G', 2600, 'rural')).toBe('cost231-hata');
    expect(selectModel('5G', 700, 'urban')).toBe('3gpp-38.901-uma-nlos');
    expect(selectModel('5G', 3500, 'rural')).toBe('3gpp-38.901-rma-nlos');
    expect(selectModel('4G', 3500, 'urban')).toBe('3gpp-38.901-uma-nlos');
  });

  it('phường → urban; xã by density → suburban or rural', () => {
    expect(environmentFor('phuong', 50)).toBe('urban');
    expect(environmentFor('xa', 1000)).toBe('suburban');
    expect(environmentFor('xa', 999)).toBe('rural');
    expect(environmentFor('xa', Number.NaN)).toBe('rural');
  });

  it('clamps to [minRadiusM, maxRadiusM] and says so', () => {
    const far = radiusFromLinkBudget({ technology: '2G', heightM: 60, environment: 'rural' }, flatBudget(170));
    expect(far.radiusM).toBe(DEFAULT_LINK_BUDGET.maxRadiusM);
    expect(far.clamped).toBe(true);
    const near = radiusFromLinkBudget({ technology: '5G', environment: 'urban' }, flatBudget(60));
    expect(near.radiusM).toBe(DEFAULT_LINK_BUDGET.minRadiusM);
    expect(near.clamped).toBe(true);
    expect(radiusFromLinkBudget({ technology: '4G', environment: 'urban' }).clamped).toBe(false);
  });

  it('an explicit station radius wins over the model; missing or zero falls back', () => {
    const site = { technology: '4G' as const, environment: 'urban' as const };
    expect(resolveRadiusM(750, site)).toBe(750);
    expect(resolveRadiusM(null, site)).toBe(estimateRadiusM(site));
    expect(resolveRadiusM(0, site)).toBe(estimateRadiusM(site));
  });

  it('rejects impossible inputs', () => {
    expect(() => estimateRadiusM({ technology: '4G', heightM: 1, environment: 'urban' })).toThrow(RangeError);
    expect(() => estimateRadiusM({ technology: '4G', bandMhz: -5, environment: 'urban' })).toThrow(RangeError);
    expect(() => shadowingMarginDb(1, 8)).toThrow(RangeError);
  });
});
