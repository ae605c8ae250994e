import type { Knex } from 'knex';
import { createTokensRepo } from '../../server/auth/tokens.repo';
import { createTokensService } from '../../server/auth/tokens.service';

/** Creates one token of each kind the authorisation tests need. */
export async function makeTokens(knex: Knex) {
  const tokens = createTokensService(createTokensRepo(knex));
  const bearer = async (role: 'admin' | 'operator' | 'planner', operator?: string) => `Bearer ${(await tokens.create({ role, operator })).token}`;
  return {
    admin: await bearer('admin'),
    planner: await bearer('planner'),
    viettel: await bearer('operator', 'viettel'),
    mobifone: await bearer('operator', 'mobifone'),
    vnpt: await bearer('operator', 'vnpt'),
    service: tokens,
  };
}
