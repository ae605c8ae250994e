/** npm run token:revoke -- --id N    (npm run token:revoke -- --list shows the tokens, never their values) */
import { parseArgs } from 'node:util';
import { openMigratedDatabase } from '../server/bootstrap';
import { loadConfig } from '../server/config';
import { createTokensRepo } from '../server/auth/tokens.repo';
import { createTokensService } from '../server/auth/tokens.service';
import { runScript } from './lib/run-script';

const { values } = parseArgs({ options: { id: { type: 'string' }, list: { type: 'boolean', default: false } } });

async function run(): Promise<number> {
  const db = await openMigratedDatabase(loadConfig());
  try {
    const tokens = createTokensService(createTokensRepo(db.knex));
    if (values.list) {
      for (const t of await tokens.list()) {
        console.log(`#${t.id} ${t.role}${t.operator ? ` ${t.operator}` : ''} ${t.label ?? ''} created ${t.createdAt.toISOString()} ${t.revokedAt ? 'REVOKED' : `expires ${t.expiresAt?.toISOString() ?? 'never'}`}`);
      }
      return 0;
    }
    const id = Number(values.id);
    if (!Number.isInteger(id) || id <= 0) throw new Error('give --id N (see --list)');
    if (!(await tokens.revoke(id))) throw new Error(`no active token #${id}`);
    console.log(`token #${id} revoked`);
    return 0;
  } finally {
    await db.close();
  }
}

runScript('token:revoke', run);
