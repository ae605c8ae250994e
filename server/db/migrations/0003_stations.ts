import type { Knex } from 'knex';

/**
 * Operators, stations and their radios. Nothing is deleted: a radio that goes off air keeps its
 * row with status `decommissioned` and a date, so coverage can be computed for any past date, and
 * every change is kept in `station_events`.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE operators (
      code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_-]{1,31}$'),
      name text NOT NULL,
      mnc text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  await knex.raw(`
    INSERT INTO operators (code, name, mnc) VALUES
      ('viettel', 'Viettel', '04'),
      ('vnpt', 'VNPT VinaPhone', '02'),
      ('mobifone', 'MobiFone', '01'),
      ('vietnamobile', 'Vietnamobile', '05'),
      ('gmobile', 'Gmobile', '07')`);
  await knex.raw(`
    CREATE TABLE stations (
      id bigserial PRIMARY KEY,
      operator text NOT NULL REFERENCES operators (code),
      site_code text NOT NULL,
      name text NOT NULL,
      geom geometry(Point, 4326) NOT NULL,
      commune_code text REFERENCES communes (code) ON UPDATE CASCADE ON DELETE SET NULL,
      height_m double precision CHECK (height_m > 0),
      is_demo boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (operator, site_code)
    )`);
  await knex.raw('CREATE INDEX stations_geom_gist ON stations USING gist (geom)');
  await knex.raw('CREATE INDEX stations_commune_idx ON stations (commune_code)');
  await knex.raw(`
    CREATE TABLE radios (
      id bigserial PRIMARY KEY,
      station_id bigint NOT NULL REFERENCES stations (id),
      technology text NOT NULL CHECK (technology IN ('2G', '3G', '4G', '5G')),
      band_mhz double precision NOT NULL CHECK (band_mhz > 0),
      azimuth_deg double precision CHECK (azimuth_deg >= 0 AND azimuth_deg < 360),
      beamwidth_deg double precision CHECK (beamwidth_deg > 0 AND beamwidth_deg <= 360),
      radius_m double precision CHECK (radius_m > 0),
      range_hint_m double precision,
      samples integer,
      status text NOT NULL CHECK (status IN ('planned', 'active', 'decommissioned')),
      commissioned_on date,
      decommissioned_on date CHECK (decommissioned_on IS NULL OR commissioned_on IS NULL OR decommissioned_on >= commissioned_on),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  // The merge key of a radio within its station; an omnidirectional radio has no azimuth (-1 here).
  await knex.raw('CREATE UNIQUE INDEX radios_key ON radios (station_id, technology, band_mhz, (coalesce(azimuth_deg, -1)))');
  await knex.raw('CREATE INDEX radios_technology_status_idx ON radios (technology, status)');
  await knex.raw(`
    CREATE TABLE api_tokens (
      id bigserial PRIMARY KEY,
      token_hash text NOT NULL UNIQUE,
      role text NOT NULL CHECK (role IN ('admin', 'operator', 'planner')),
      operator text REFERENCES operators (code),
      label text,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz,
      revoked_at timestamptz,
      last_used_at timestamptz,
      CHECK ((role = 'operator') = (operator IS NOT NULL))
    )`);
  await knex.raw(`
    CREATE TABLE imports (
      id bigserial PRIMARY KEY,
      kind text NOT NULL DEFAULT 'stations',
      token_id bigint REFERENCES api_tokens (id),
      actor text NOT NULL,
      operator text,
      file_name text,
      sha256 text NOT NULL,
      bytes integer NOT NULL,
      format text,
      mode text NOT NULL,
      dry_run boolean NOT NULL,
      status text NOT NULL CHECK (status IN ('running', 'succeeded', 'rejected', 'failed')),
      counts jsonb NOT NULL DEFAULT '{}',
      report jsonb NOT NULL DEFAULT '{}',
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`);
  await knex.raw(`
    CREATE TABLE station_events (
      id bigserial PRIMARY KEY,
      station_id bigint NOT NULL REFERENCES stations (id),
      radio_id bigint REFERENCES radios (id),
      import_id bigint REFERENCES imports (id),
      change text NOT NULL CHECK (change IN ('created', 'updated', 'decommissioned')),
      detail jsonb,
      at timestamptz NOT NULL DEFAULT now()
    )`);
  await knex.raw('CREATE INDEX station_events_station_idx ON station_events (station_id, at)');
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['station_events', 'imports', 'api_tokens', 'radios', 'stations', 'operators']) {
    await knex.raw(`DROP TABLE IF EXISTS ${table}`);
  }
}
