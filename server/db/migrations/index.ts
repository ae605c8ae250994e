import type { Knex } from 'knex';
import * as postgis from './0001_postgis';
import * as communes from './0002_communes';
import * as stations from './0003_stations';
import * as coverage from './0004_coverage';
import * as broadband from './0005_broadband';
import * as targets from './0006_targets';
import * as snapshots from './0007_snapshots';
import * as audit from './0008_audit';
import * as changeIndexes from './0009_change_indexes';
import * as versionTriggers from './0010_data_version_triggers';
import * as stationRowVersions from './0011_station_row_versions';
import * as coveragePopulationTerrain from './0012_coverage_population_terrain';
import * as scenariosPlans from './0013_scenarios_plans';
import * as provinces from './0014_provinces';

/** Every migration in order. Listed here rather than globbed so tsx, vitest and builds agree. */
export const MIGRATIONS: ReadonlyArray<readonly [string, Knex.Migration]> = [
  ['0001_postgis', postgis],
  ['0002_communes', communes],
  ['0003_stations', stations],
  ['0004_coverage', coverage],
  ['0005_broadband', broadband],
  ['0006_targets', targets],
  ['0007_snapshots', snapshots],
  ['0008_audit', audit],
  ['0009_change_indexes', changeIndexes],
  ['0010_data_version_triggers', versionTriggers],
  ['0011_station_row_versions', stationRowVersions],
  ['0012_coverage_population_terrain', coveragePopulationTerrain],
  ['0013_scenarios_plans', scenariosPlans],
  ['0014_provinces', provinces],
];
