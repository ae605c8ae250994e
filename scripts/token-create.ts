/**
 * npm run token:create -- --role admin|operator|planner [--operator CODE] [--label TEXT] [--expires-days 365|never]
 * Prints the new token as its last line. It is stored only as a hash: copy it now.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { openMigratedDatabase } from '../server/bootstrap';
import { loadConfig } from '../server/config';
import { ROLES, createTokensRepo } from '../server/auth/tokens.repo';
import { createTokensService } from '../server/auth/tokens.service';

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    operator: { type: 'string' },
    label: { type: 'string' },
    'expires-days': { type: 'string', default: '365' },
  },
});

async function run() {
  const role = z.enum(ROLES).parse(values.role, { error: () => `--role must be one of ${ROLES.join(', ')}` });
  const days = values['expires-days'] === 'never' ? null : z.coerce.number().positive().parse(values['expires-days']);
  const db = await openMigratedDatabase(loadConfig());
  try {
    const created = await createTokensService(createTokensRepo(db.knex)).create({ role, operator: values.operator, label: values.label, expiresInDays: days });
    console.log(`token #${created.id}: role ${created.role}${created.operator ? `, operator ${created.operator}` : ''}, expires ${created.expiresAt?.toISOString() ?? 'never'}`);
    console.log('shown once, stored only as a hash:');
    console.log(created.token);
  } finally {
    await db.close();
  }
}

run().catch((err) => {
  console.error(`token:create: ${err instanceof z.ZodError ? err.issues.map((i) => i.message).join('; ') : (err as Error).message}`);
  process.exit(1);
});
