/**
 * A cold batch of terrain footprints computed in worker threads (each opening the SRTM folder
 * itself) gives exactly the footprints computed on this thread.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config';
import { loadCoverageInputs } from '../../../server/coverage/coverage.inputs';
import { createFootprintCache, computeFootprint, type FootprintRequest } from '../../../server/coverage/footprints';
import { radiusFromLinkBudget, type RadioSite } from '../../../server/coverage/engine';
import { seededRandom } from './synthetic';

describe('footprints in worker threads', () => {
  it('equal those computed here, for a batch large enough to go to the workers', async () => {
    const { terrain } = await loadCoverageInputs({ populationRaster: null, terrainDir: loadConfig({}).terrainDir });
    expect(terrain?.heights.dir).toBeTruthy();
    const random = seededRandom(5);
    const requests: FootprintRequest[] = Array.from({ length: 240 }, (_, i) => {
      const site: RadioSite = { technology: i % 3 === 0 ? '5G' : '4G', bandMhz: i % 3 === 0 ? 3500 : 1800, heightM: 20 + (i % 25), environment: i % 2 ? 'urban' : 'suburban' };
      // Inside the tile N21E105, away from its edges.
      const radio = { radioId: i, stationId: i, siteCode: `S${i}`, operator: 'viettel', technology: site.technology, lon: 105.1 + 0.8 * random(), lat: 21.1 + 0.8 * random(), radiusM: radiusFromLinkBudget(site).radiusM,
        azimuthDeg: i % 4 === 0 ? 120 : null, beamwidthDeg: i % 4 === 0 ? 65 : null };
      return { radio, site };
    });
    const cache = createFootprintCache(terrain!.heights);
    try {
      await cache.prepare(requests);
      expect(cache.stats().computed).toBe(requests.length); // done by the batch, not one by one below
      let shaped = 0;
      for (const { radio, site } of requests) {
        const here = computeFootprint(radio, site, terrain!.heights.heightAt);
        const there = cache.footprintOf(radio, site);
        expect(there ? Array.from(there.lons) : null).toEqual(here ? Array.from(here.strips.lons) : null);
        if (here) shaped++;
      }
      expect(cache.stats().computed).toBe(requests.length);
      expect(shaped).toBeGreaterThan(100);
    } finally {
      await cache.close();
    }
  }, 120_000);
});
