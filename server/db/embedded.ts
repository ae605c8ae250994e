import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { serialiseSocketQueue } from './socket-queue';

/**
 * The embedded engine: PGlite with PostGIS, served on a loopback port by pglite-socket so that
 * knex talks to it with the same `pg` driver as to a PostGIS server (same types, multi-statement
 * SQL). PGlite is single-process: the process that opens a data directory writes
 * `phusong.lock` beside it with its pid and port; another process (a CLI run while the service
 * runs) connects through that port instead of opening the files a second time.
 */
export interface EmbeddedHandle {
  host: string;
  port: number;
  /** true when another process holds the data directory and we go through its socket. */
  attached: boolean;
  ownerPid: number;
  close(): Promise<void>;
}

interface LockFile {
  pid: number;
  host: string;
  port: number | null;
  startedAt: string;
}

const LOCK_NAME = 'phusong.lock';
const HOST = '127.0.0.1';
const ATTACH_WAIT_MS = 120_000;
// Each knex connection is one socket; pglite-socket queues their messages onto the one backend
// and keeps a transaction's messages together.
const SOCKET_MAX_CONNECTIONS = 16;
// PGlite holds PostgreSQL's shared buffers in its WASM memory, which never shrinks: initdb's 128 MB
// left the process markedly larger than 32 MB does, and 32 MB still holds what a coverage run of a
// 100,000-radio database reads (test/bench/README.md, "Memory of the embedded engine"). PGlite's
// own `initialMemory` cannot help: the module declares 128 MiB as its minimum.
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];

export async function openEmbedded(dataDir: string): Promise<EmbeddedHandle> {
  await fs.mkdir(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_NAME);
  const deadline = Date.now() + ATTACH_WAIT_MS;
  for (;;) {
    const lock = await readLock(lockPath);
    if (lock && lock.pid !== process.pid && isAlive(lock.pid)) {
      if (lock.port !== null && (await canConnect(lock.host, lock.port))) {
        return { host: lock.host, port: lock.port, attached: true, ownerPid: lock.pid, close: async () => {} };
      }
      if (Date.now() > deadline) {
        throw new Error(
          `the embedded database in ${dataDir} is held by process ${lock.pid}, which does not answer; stop it or remove ${lockPath} if that process is not phusong`,
        );
      }
      await sleep(250); // the owner is still starting: wait for its port
      continue;
    }
    if (lock) await fs.rm(lockPath, { force: true }); // stale: its process is gone
    try {
      await writeLock(lockPath, { pid: process.pid, host: HOST, port: null, startedAt: new Date().toISOString() }, 'wx');
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // another process won the race: go round again and attach to it
    }
  }
  try {
    return await startOwner(dataDir, lockPath);
  } catch (err) {
    await fs.rm(lockPath, { force: true });
    throw err;
  }
}

async function startOwner(dataDir: string, lockPath: string): Promise<EmbeddedHandle> {
  const pg = await PGlite.create(path.join(dataDir, 'pglite'), { extensions: { postgis }, startParams: START_PARAMS });
  const server = new PGLiteSocketServer({ db: pg, host: HOST, port: 0, maxConnections: SOCKET_MAX_CONNECTIONS });
  serialiseSocketQueue(server);
  await server.start();
  const port = (server as unknown as { port: number }).port;
  await writeLock(lockPath, { pid: process.pid, host: HOST, port, startedAt: new Date().toISOString() }, 'w');
  let closed = false;
  return {
    host: HOST,
    port,
    attached: false,
    ownerPid: process.pid,
    async close() {
      if (closed) return;
      closed = true;
      await server.stop();
      await pg.close();
      await fs.rm(lockPath, { force: true });
    },
  };
}

async function readLock(lockPath: string): Promise<LockFile | null> {
  try {
    return JSON.parse(await fs.readFile(lockPath, 'utf8')) as LockFile;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // a half-written lock from a process killed mid-write: treat its owner as gone
    return { pid: -1, host: HOST, port: null, startedAt: '' };
  }
}

async function writeLock(lockPath: string, lock: LockFile, flag: 'w' | 'wx'): Promise<void> {
  await fs.writeFile(lockPath, JSON.stringify(lock), { flag });
}

function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(2000);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
