import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE communes (
      code text PRIMARY KEY CHECK (code ~ '^[0-9]{5}$'),
      name text NOT NULL,
      full_name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('xa', 'phuong', 'dac_khu')),
      province_code text NOT NULL,
      province_name text,
      population integer CHECK (population >= 0),
      households integer CHECK (households >= 0),
      household_size double precision,
      households_method text,
      official_area_km2 double precision,
      area_km2 double precision NOT NULL,
      geom geometry(MultiPolygon, 4326) NOT NULL,
      geom_display geometry(MultiPolygon, 4326) NOT NULL,
      imported_at timestamptz NOT NULL DEFAULT now()
    )`);
  await knex.raw('CREATE INDEX communes_geom_gist ON communes USING gist (geom)');
  await knex.raw('CREATE INDEX communes_geom_display_gist ON communes USING gist (geom_display)');
  await knex.raw('CREATE INDEX communes_province_idx ON communes (province_code)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS communes');
}
