// Throwaway databases for the benchmarks: a new database beside a server URL (dropped afterwards),
// or a new embedded one in a temporary folder (removed afterwards).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { openDatabase, type Database } from '../../server/db/database';

export interface ThrowawayUrl {
  url: string;
  drop: () => Promise<void>;
}

/** A fresh, empty database on the server of `serverUrl`, named after `label` and this process. */
export async function throwawayServerDatabase(serverUrl: string, label: string): Promise<ThrowawayUrl> {
  const name = `phusong_${label}_${process.pid}`;
  const admin = () => knexFactory({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
  const k = admin();
  try {
    await k.raw(`CREATE DATABASE "${name}"`);
  } finally {
    await k.destroy();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const d = admin();
      try {
        await d.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await d.destroy();
      }
    },
  };
}

/** An open fresh database: beside `serverUrl` when given, else embedded in a temporary folder. */
export async function throwawayDatabase(serverUrl: string | null | undefined, label: string): Promise<{ db: Database; drop: () => Promise<void> }> {
  if (serverUrl) {
    const t = await throwawayServerDatabase(serverUrl, label);
    const db = await openDatabase({ databaseUrl: t.url, dataDir: '' });
    return { db, drop: async () => { await db.close(); await t.drop(); } };
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `phusong-${label}-`));
  const db = await openDatabase({ databaseUrl: null, dataDir: dir });
  return { db, drop: async () => { await db.close(); await fs.rm(dir, { recursive: true, force: true }); } };
}
