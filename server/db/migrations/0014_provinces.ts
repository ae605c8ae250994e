import type { Knex } from 'knex';

/**
 * Provinces become an entity of their own, and the province code becomes part of the key of every
 * table that would be distributed over several database nodes (README, "Scale"): communes,
 * stations, radios, coverage figures, fiber figures and snapshot figures. Rows keyed by a commune
 * take the commune's province; a radio takes its station's; a station takes the province of its
 * commune, or, outside every commune held, of the nearest commune (a station just over a border
 * is stored with the province whose coverage it reaches). One rule, in the database: the triggers
 * below, so no writer can get it wrong. Composite foreign keys cascade a commune's or a station's
 * move to another province into every row that follows it.
 *
 * The single-column unique keys that other tables' foreign keys use today (communes.code,
 * stations.id, radios.id, stations (operator, site_code)) stay; a distributed deployment would
 * drop them (README, "Scale", what would have to change).
 *
 * Targets get the province they belong to (NULL: a national target), reported figures the
 * province they describe. The national targets of Decision 1132/QĐ-TTg and of the 2025 5G
 * roll-out plan are added. `VN` is the country: the province code of a national snapshot figure,
 * and of a station stored while no commune is held at all.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE provinces (
      code text PRIMARY KEY CHECK (code ~ '^[0-9]{2}$'),
      name text NOT NULL,
      full_name text NOT NULL,
      name_en text,
      kind text NOT NULL CHECK (kind IN ('tinh', 'thanh_pho')),
      geom_display geometry(MultiPolygon, 4326),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  await knex.raw(`
    INSERT INTO provinces (code, name, full_name, kind)
    SELECT DISTINCT ON (province_code) province_code, coalesce(province_name, province_code),
           coalesce(province_name, province_code), 'tinh'
      FROM communes ORDER BY province_code, province_name NULLS LAST`);
  // Outlines of the provinces already held (the communes import keeps them current from now on).
  await knex.raw(`UPDATE provinces p SET geom_display = (
      SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SimplifyPreserveTopology(ST_Union(c.geom_display), 0.002)), 3))
        FROM communes c WHERE c.province_code = p.code)`);
  await knex.raw(`ALTER TABLE communes ADD FOREIGN KEY (province_code) REFERENCES provinces (code) ON UPDATE CASCADE`);
  await swapPrimaryKey(knex, 'communes', ['province_code', 'code'], ['code']);

  // Stations and radios.
  await knex.raw(`ALTER TABLE stations ADD COLUMN province_code text`);
  await knex.raw(`
    CREATE FUNCTION station_province() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.province_code := coalesce(
        (SELECT c.province_code FROM communes c WHERE c.code = NEW.commune_code),
        (SELECT c.province_code FROM communes c ORDER BY c.geom <-> NEW.geom LIMIT 1),
        'VN');
      RETURN NEW;
    END $$`);
  await knex.raw(`UPDATE stations s SET province_code = coalesce(
      (SELECT c.province_code FROM communes c WHERE c.code = s.commune_code),
      (SELECT c.province_code FROM communes c ORDER BY c.geom <-> s.geom LIMIT 1), 'VN')`);
  await knex.raw(`ALTER TABLE stations ALTER COLUMN province_code SET NOT NULL, ADD CHECK (province_code ~ '^([0-9]{2}|VN)$')`);
  await knex.raw(`CREATE TRIGGER stations_province BEFORE INSERT OR UPDATE OF commune_code, geom ON stations
                    FOR EACH ROW EXECUTE FUNCTION station_province()`);
  await swapPrimaryKey(knex, 'stations', ['province_code', 'id'], ['id']);
  await knex.raw('CREATE INDEX stations_province_idx ON stations (province_code)');
  await knex.raw('ALTER TABLE stations DROP CONSTRAINT stations_commune_code_fkey');
  await knex.raw(`ALTER TABLE stations ADD FOREIGN KEY (province_code, commune_code) REFERENCES communes (province_code, code)
                    ON UPDATE CASCADE ON DELETE SET NULL (commune_code)`);

  await knex.raw(`ALTER TABLE radios ADD COLUMN province_code text`);
  await knex.raw(`UPDATE radios r SET province_code = s.province_code FROM stations s WHERE s.id = r.station_id`);
  await knex.raw(`ALTER TABLE radios ALTER COLUMN province_code SET NOT NULL`);
  await knex.raw(`
    CREATE FUNCTION radio_province() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.province_code := (SELECT s.province_code FROM stations s WHERE s.id = NEW.station_id);
      RETURN NEW;
    END $$`);
  await knex.raw(`CREATE TRIGGER radios_province BEFORE INSERT OR UPDATE OF station_id ON radios
                    FOR EACH ROW EXECUTE FUNCTION radio_province()`);
  await swapPrimaryKey(knex, 'radios', ['province_code', 'id'], ['id']);
  await knex.raw(`ALTER TABLE radios ADD FOREIGN KEY (province_code, station_id) REFERENCES stations (province_code, id) ON UPDATE CASCADE`);

  // Rows keyed by a commune.
  await knex.raw(`
    CREATE FUNCTION commune_province() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.commune_code IS NOT NULL THEN
        NEW.province_code := (SELECT c.province_code FROM communes c WHERE c.code = NEW.commune_code);
      END IF;
      RETURN NEW;
    END $$`);
  for (const table of ['commune_coverage', 'broadband']) {
    await knex.raw(`ALTER TABLE ${table} ADD COLUMN province_code text`);
    await knex.raw(`UPDATE ${table} t SET province_code = c.province_code FROM communes c WHERE c.code = t.commune_code`);
    await knex.raw(`ALTER TABLE ${table} ALTER COLUMN province_code SET NOT NULL`);
    await knex.raw(`CREATE TRIGGER ${table}_province BEFORE INSERT OR UPDATE OF commune_code ON ${table}
                      FOR EACH ROW EXECUTE FUNCTION commune_province()`);
    await knex.raw(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_commune_code_fkey`);
    await knex.raw(`ALTER TABLE ${table} ADD FOREIGN KEY (province_code, commune_code) REFERENCES communes (province_code, code)
                      ON UPDATE CASCADE ON DELETE CASCADE`);
  }
  await knex.raw('ALTER TABLE commune_coverage DROP CONSTRAINT commune_coverage_pkey');
  await knex.raw('ALTER TABLE commune_coverage ADD PRIMARY KEY (province_code, commune_code, technology, operator)');
  await swapPrimaryKey(knex, 'broadband', ['province_code', 'id'], ['id']);

  // Snapshot figures: a commune's row has its province; a province's row has no commune; the
  // country's row (taken when the database holds several provinces) is province VN.
  const { rows: [{ n }] } = await knex.raw<{ rows: Array<{ n: number }> }>('SELECT count(*)::int AS n FROM provinces');
  const only = n === 1 ? (await knex.raw<{ rows: Array<{ code: string }> }>('SELECT code FROM provinces')).rows[0].code : 'VN';
  await knex.raw(`ALTER TABLE snapshot_figures ADD COLUMN province_code text`);
  await knex.raw(`UPDATE snapshot_figures f SET province_code = coalesce((SELECT c.province_code FROM communes c WHERE c.code = f.commune_code), ?)`, [only]);
  await knex.raw(`ALTER TABLE snapshot_figures ALTER COLUMN province_code SET NOT NULL, ADD CHECK (province_code ~ '^([0-9]{2}|VN)$')`);
  await knex.raw(`CREATE TRIGGER snapshot_figures_province BEFORE INSERT OR UPDATE OF commune_code ON snapshot_figures
                    FOR EACH ROW EXECUTE FUNCTION commune_province()`);
  await knex.raw('DROP INDEX snapshot_figures_key');
  await knex.raw(`CREATE UNIQUE INDEX snapshot_figures_key ON snapshot_figures (province_code, snapshot_id, (coalesce(commune_code, '')))`);
  await knex.raw('ALTER TABLE snapshot_figures DROP CONSTRAINT snapshot_figures_commune_code_fkey');
  await knex.raw(`ALTER TABLE snapshot_figures ADD FOREIGN KEY (province_code, commune_code) REFERENCES communes (province_code, code)
                    ON UPDATE CASCADE ON DELETE CASCADE`);
  await knex.raw('CREATE INDEX snapshot_figures_province_idx ON snapshot_figures (province_code, snapshot_id) WHERE commune_code IS NULL');

  // Targets: whose they are. Reported figures: where they were reported.
  await knex.raw(`ALTER TABLE targets ADD COLUMN province_code text CHECK (province_code ~ '^[0-9]{2}$')`);
  await knex.raw(`UPDATE targets SET province_code = '25' WHERE code LIKE 'pt-%'`);
  await knex.raw(`ALTER TABLE reported_figures ADD COLUMN province_code text CHECK (province_code ~ '^[0-9]{2}$')`);
  await knex.raw(`UPDATE reported_figures SET province_code = '25'`);
  const national: Array<[string, string, number, number, string, string, string]> = [
    ['vn-2030-5g-population', '5G coverage of 99 % of the population by 2030', 99, 2030,
      'Decision 1132/QĐ-TTg (Oct 2024), Digital Infrastructure Strategy to 2025, orientation to 2030', '2024-10-09',
      'National target, also in Decision 36/QĐ-TTg (11 Jan 2024), ICT infrastructure plan 2021–2030. Applies to the country and to every province without a 5G target of its own.'],
    ['vn-2025-5g-population', '5G coverage of 90 % of the population by the end of 2025', 90, 2025,
      'National 5G roll-out plan for 2025 (press, Jul 2025; Resolution 193/2025/QH15, Decree 88/2025)', '2025-07-01',
      'The plan also counts 68,457 5G sites (57.5 % of 4G sites). Day of publication not verified: 1 Jul 2025 is used.'],
  ];
  for (const [code, title, threshold, year, document, date, notes] of national) {
    await knex.raw(
      `INSERT INTO targets (code, title, metric, threshold, deadline_year, scope, source_document, source_date, notes, province_code, updated_by)
       VALUES (?, ?, '5g_population_pct', ?, ?, 'province', ?, ?, ?, NULL, 'migration 0014_provinces')
       ON CONFLICT (code) DO NOTHING`,
      [code, title, threshold, year, document, date, notes],
    );
  }
  await knex.raw(`INSERT INTO data_versions (name) VALUES ('provinces') ON CONFLICT (name) DO NOTHING`);
  await knex.raw(`CREATE TRIGGER provinces_bump_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON provinces
                    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('provinces')`);
}

/**
 * Replaces a table's primary key by one that leads with the province code, keeping the old key
 * as a unique constraint so the foreign keys that point at it (dropped with it, re-created from
 * their own definitions) keep working.
 */
async function swapPrimaryKey(knex: Knex, table: string, key: string[], keep: string[]): Promise<void> {
  const { rows: refs } = await knex.raw<{ rows: Array<{ conname: string; child: string; def: string }> }>(
    `SELECT c.conname, c.conrelid::regclass::text AS child, pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c
      WHERE c.contype = 'f' AND c.confrelid = ?::regclass
        AND c.conkey IS NOT NULL AND array_length(c.confkey, 1) = ?`,
    [table, keep.length],
  );
  for (const r of refs) await knex.raw(`ALTER TABLE ${r.child} DROP CONSTRAINT ${r.conname}`);
  await knex.raw(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey`);
  await knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_${keep.join('_')}_key UNIQUE (${keep.join(', ')})`);
  await knex.raw(`ALTER TABLE ${table} ADD PRIMARY KEY (${key.join(', ')})`);
  for (const r of refs) await knex.raw(`ALTER TABLE ${r.child} ADD CONSTRAINT ${r.conname} ${r.def}`);
}

export async function down(): Promise<void> {
  throw new Error('0014_provinces cannot be undone: restore a dump taken before it');
}
