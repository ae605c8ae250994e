import type { Knex } from 'knex';
import * as postgis from './0001_postgis';
import * as communes from './0002_communes';

/** Every migration in order. Listed here rather than globbed so tsx, vitest and builds agree. */
export const MIGRATIONS: ReadonlyArray<readonly [string, Knex.Migration]> = [
  ['0001_postgis', postgis],
  ['0002_communes', communes],
];
