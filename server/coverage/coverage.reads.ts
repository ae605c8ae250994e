/**
 * What the coverage model reads from the database: every commune with its boundary, and the
 * radios on air of a day. Each is read once per version of its data and shared by everyone who
 * computes with the model — the official figures (coverage.service.ts) and scenarios and plans
 * (server/scenarios/evaluator.ts) — so a plan's start finds them read, instead of holding the event
 * loop for a second read of the same rows (test/bench/README.md, bench:plans).
 */
import { lastKeyCache } from '../db/versioned-cache';
import type { CommuneForCoverage, CoverageRepo, RadioSnapshot } from './coverage.repo';

export interface CoverageReads {
  /** Every commune, as of the commune table's stamp (`repo.communesStamp()`). */
  communes(stamp: string): Promise<CommuneForCoverage[]>;
  /** The radios on air on `asOf`, as of the radios' version (`repo.radiosVersion()`). Never change what it returns. */
  radiosSnapshot(asOf: string, version: string): Promise<RadioSnapshot>;
}

export function createCoverageReads(repo: Pick<CoverageRepo, 'communes' | 'radiosSnapshot'>): CoverageReads {
  const communes = lastKeyCache(() => repo.communes());
  const snapshots = lastKeyCache((key: string) => repo.radiosSnapshot(key.slice(0, key.indexOf('|'))));
  return {
    communes: (stamp) => communes(stamp),
    radiosSnapshot: (asOf, version) => snapshots(`${asOf}|${version}`),
  };
}
