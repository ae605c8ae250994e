import type { Knex } from 'knex';

/**
 * Targets (what the province aims at) and reported figures (what it says it has reached), kept in
 * two tables so the service can show the reported number next to the one it computes without
 * ever mistaking one for the other. Both carry their source. Metric names are those of
 * server/targets/metrics.ts. Seeded from the local press (Báo Phú Thọ; each row names its article
 * and date); only the two targets' Vietnamese wording is quoted, the other
 * figures are summaries, so their quote is left empty rather than invented.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE targets (
      id bigserial PRIMARY KEY,
      code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,63}$'),
      title text NOT NULL,
      metric text NOT NULL CHECK (metric ~ '^[a-z0-9_]{1,40}$'),
      threshold double precision NOT NULL CHECK (threshold >= 0 AND threshold <= 100),
      deadline_year integer NOT NULL CHECK (deadline_year BETWEEN 2000 AND 2100),
      scope text NOT NULL CHECK (scope IN ('province', 'commune')),
      source_document text NOT NULL,
      source_date date,
      source_quote text,
      source_url text,
      notes text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by text NOT NULL DEFAULT 'migration 0006_targets'
    )`);
  await knex.raw(`
    CREATE TABLE reported_figures (
      id bigserial PRIMARY KEY,
      code text NOT NULL UNIQUE,
      label text NOT NULL,
      value double precision NOT NULL,
      unit text NOT NULL,
      qualifier text NOT NULL CHECK (qualifier IN ('exactly', 'about', 'more_than', 'at_least')),
      metric text,
      operator text REFERENCES operators (code),
      area text NOT NULL,
      as_of date NOT NULL,
      source_document text NOT NULL,
      source_date date NOT NULL,
      source_quote text,
      notes text
    )`);

  const article = 'Báo Phú Thọ, 3 Feb 2026';
  const targets: Array<[string, string, string, number, string, string | null, string]> = [
    [
      'pt-2026-5g-coverage', '5G coverage of at least 65 % by 2026', '5g_population_pct', 65,
      'tỷ lệ phủ sóng 5G đạt tối thiểu 65%',
      null,
      'The article does not say whether 65 % is of the population or of the area. Read here as population ' +
        'coverage: Vietnam states its 5G goals as shares of the population (99 % by 2030, Decision 1132/QĐ-TTg; ' +
        '90 % by the end of 2025 in the national 5G roll-out plan), while the same article gives 4G explicitly ' +
        'as a share of the area (98 %). The area figure is computed too (5g_area_pct): an admin can add an area reading ' +
        'with POST /api/targets.',
    ],
    [
      'pt-2026-fiber-households', 'Households on fiber optic internet of at least 90 % by 2026', 'fiber_households_pct', 90,
      'tỷ lệ hộ gia đình có kết nối internet cáp quang đạt tối thiểu 90%',
      null,
      'Households with a fiber connection, i.e. subscriptions, not households that could subscribe (passed).',
    ],
  ];
  for (const [code, title, metric, threshold, quote, url, notes] of targets) {
    await knex.raw(
      `INSERT INTO targets (code, title, metric, threshold, deadline_year, scope, source_document, source_date, source_quote, source_url, notes)
       VALUES (?, ?, ?, ?, 2026, 'province', ?, '2026-02-03', ?, ?, ?)`,
      [code, title, metric, threshold, article, quote, url, notes],
    );
  }

  const province = 'Phú Thọ province (148 communes, since 1 Jul 2025)';
  const former = 'former Phú Thọ province (before the 1 Jul 2025 merger)';
  // code, label, value, unit, qualifier, metric, operator, area, as_of, source, source date, notes
  const reported: Array<[string, string, number, string, string, string | null, string | null, string, string, string, string, string | null]> = [
    ['pt-2026-4g-area', '4G coverage of the area', 98, '%', 'exactly', '4g_area_pct', null, province, '2026-02-03', article, '2026-02-03', null],
    ['pt-2026-4g-bts', 'BTS with 4G', 9283, 'sites', 'exactly', 'sites_4g_count', null, province, '2026-02-03', article, '2026-02-03', null],
    ['pt-2026-5g-new', 'New 5G stations since 1 July 2025 (six times as many as before)', 868, 'sites', 'exactly', 'sites_5g_new_count', null, province, '2026-02-03', article, '2026-02-03', null],
    ['pt-2026-5g-urban-industrial', '5G in central urban areas and industrial parks', 100, '%', 'exactly', null, null, province, '2026-02-03', article, '2026-02-03',
      'The service has no layer of urban centres or industrial parks, so it computes nothing comparable.'],
    ['pt-2026-fiber-households', 'Households on fiber', 86, '%', 'about', 'fiber_households_pct', null, province, '2026-02-03', article, '2026-02-03', null],
    ['pt-2026-fiber-communes', 'Communes reached by fiber', 100, '%', 'exactly', 'fiber_communes_pct', null, province, '2026-02-03', article, '2026-02-03', null],
    ['pt-2026-fixed-broadband', 'Fixed broadband subscriptions', 960000, 'subscriptions', 'more_than', 'fiber_subscriptions_count', null, province, '2026-02-03', article, '2026-02-03',
      'Fixed broadband counts every line, businesses included; the computed figure counts fiber subscriptions of households only.'],
    ['pt-2026-mobile-broadband', 'Mobile broadband subscriptions', 3600000, 'subscriptions', 'more_than', null, null, province, '2026-02-03', article, '2026-02-03',
      'Subscriptions are not in the data this service holds.'],
    ['pt-2025-12-bts', 'BTS (3G/4G)', 10200, 'sites', 'more_than', 'sites_3g4g_count', null, province, '2025-12-24', 'Báo Phú Thọ, 24 Dec 2025', '2025-12-24', null],
    ['pt-2025-12-5g-on-air', '5G stations on air', 170, 'sites', 'exactly', 'sites_5g_count', null, province, '2025-12-24', 'Báo Phú Thọ, 24 Dec 2025', '2025-12-24', null],
    ['viettel-2025-10-population', 'Viettel: population covered (any technology)', 99, '%', 'exactly', null, 'viettel', province, '2025-10-20', 'Báo Phú Thọ, 20 Oct 2025', '2025-10-20',
      'Coverage by any technology is not one of the computed figures; see 2G–5G per operator.'],
    ['viettel-2025-10-4g5g-population', 'Viettel: 4G/5G coverage of the population', 96, '%', 'exactly', '4g_population_pct', 'viettel', province, '2025-10-20', 'Báo Phú Thọ, 20 Oct 2025', '2025-10-20',
      'The computed figure is 4G alone (5G sites in Vietnam also carry 4G).'],
    ['viettel-2025-10-4g5g-area', 'Viettel: 4G/5G coverage of the area', 90, '%', 'more_than', '4g_area_pct', 'viettel', province, '2025-10-20', 'Báo Phú Thọ, 20 Oct 2025', '2025-10-20',
      'The computed figure is 4G alone (5G sites in Vietnam also carry 4G).'],
    ['viettel-2023-2025-new-sites', 'Viettel: new 2G–5G sites built 2023–2025', 2283, 'sites', 'exactly', null, 'viettel', province, '2025-10-20', 'Báo Phú Thọ, 20 Oct 2025', '2025-10-20', null],
    ['old-pt-2024-bts', 'BTS', 3800, 'sites', 'more_than', null, null, former, '2024-12-31', 'Báo Phú Thọ, 2024', '2024-12-31',
      'Former province: not comparable with today\'s 148 communes. Day of publication unknown; the end of 2024 is used.'],
    ['old-pt-2024-fiber', 'Households reached by fiber', 80, '%', 'about', null, null, former, '2024-12-31', 'Báo Phú Thọ, 2024', '2024-12-31',
      'Former province: not comparable with today\'s 148 communes. Day of publication unknown; the end of 2024 is used.'],
    ['old-pt-2024-villages', 'Mobile coverage of villages in especially difficult areas', 100, '%', 'exactly', null, null, former, '2024-12-31', 'Báo Phú Thọ, 2024', '2024-12-31',
      'No village layer exists here, so nothing comparable is computed.'],
  ];
  for (const r of reported) {
    await knex.raw(
      `INSERT INTO reported_figures (code, label, value, unit, qualifier, metric, operator, area, as_of, source_document, source_date, notes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      r,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS reported_figures');
  await knex.raw('DROP TABLE IF EXISTS targets');
}
