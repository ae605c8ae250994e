import type { Knex } from 'knex';
import * as postgis from './0001_postgis';
import * as communes from './0002_communes';
import * as stations from './0003_stations';
import * as coverage from './0004_coverage';
import * as audit from './0008_audit';

/** Every migration in order. Listed here rather than globbed so tsx, vitest and builds agree. */
export const MIGRATIONS: ReadonlyArray<readonly [string, Knex.Migration]> = [
  ['0001_postgis', postgis],
  ['0002_communes', communes],
  ['0003_stations', stations],
  ['0004_coverage', coverage],
  ['0008_audit', audit],
];
