import type { Knex } from 'knex';

/**
 * Fixed broadband (fiber) per commune, operator and date, as operators upload it: households
 * passed by the operator's fiber, households subscribed, and optionally its ports. A new date is a
 * new row (the figures' own history); the same commune, operator and date again is a correction
 * and replaces the row. Who wrote it and from which upload stay with the row.
 *
 * FPT Telecom, one of the country's large fiber providers without a mobile network (no MNC), is
 * added to the operators so it can upload its figures; others are added the same way.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`INSERT INTO operators (code, name, mnc) VALUES ('fpt', 'FPT Telecom', NULL) ON CONFLICT (code) DO NOTHING`);
  await knex.raw(`
    CREATE TABLE broadband (
      id bigserial PRIMARY KEY,
      commune_code text NOT NULL REFERENCES communes (code) ON UPDATE CASCADE ON DELETE CASCADE,
      operator text NOT NULL REFERENCES operators (code),
      as_of date NOT NULL,
      households_passed integer NOT NULL CHECK (households_passed >= 0),
      subscriptions integer NOT NULL CHECK (subscriptions >= 0 AND subscriptions <= households_passed),
      ports integer CHECK (ports >= 0),
      is_demo boolean NOT NULL DEFAULT false,
      import_id bigint REFERENCES imports (id),
      actor text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (commune_code, operator, as_of)
    )`);
  await knex.raw('CREATE INDEX broadband_operator_idx ON broadband (operator, as_of)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS broadband');
  await knex.raw(`DELETE FROM operators WHERE code = 'fpt' AND NOT EXISTS (SELECT 1 FROM stations WHERE operator = 'fpt')
                    AND NOT EXISTS (SELECT 1 FROM api_tokens WHERE operator = 'fpt')`);
}
