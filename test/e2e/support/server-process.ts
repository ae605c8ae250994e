// The real server as a child process, for browser tests: build the client, start
// `tsx server/main.ts` on a free port, wait for health, stop it with SIGTERM.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** First start of the embedded engine creates PostGIS and imports the province. */
export const HEALTH_TIMEOUT_MS = 120_000;
const SHUTDOWN_TIMEOUT_MS = 20_000;
const OUTPUT_LINES_KEPT = 200;

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** A lock older than this was left by a run that died while building: taken over. */
const STALE_BUILD_LOCK_MS = 5 * 60_000;
const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * The server serves dist/client: build it when missing or older than its sources. Test files run
 * two at a time, so one builds while the other waits (a directory made atomically is the lock)
 * and then finds it fresh.
 */
export function buildClientIfStale(): void {
  const builtIndex = path.join(ROOT, 'dist/client/index.html');
  const lock = path.join(ROOT, 'dist/.client-build-lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const age = existsSync(lock) ? Date.now() - statSync(lock).mtimeMs : 0;
      if (age > STALE_BUILD_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      else sleepSync(250);
    }
  }
  try {
    const sourcesMtime = Math.max(newestMtimeMs(path.join(ROOT, 'client')), statSync(path.join(ROOT, 'vite.config.ts')).mtimeMs);
    if (existsSync(builtIndex) && statSync(builtIndex).mtimeMs >= sourcesMtime) return;
    execFileSync(path.join(ROOT, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One answer as the server's request log has it (LOG_LEVEL info or finer). */
export interface LoggedAnswer {
  method: string;
  url: string;
  status: number;
}

export interface RunningServer {
  baseUrl: string;
  child: ChildProcess;
  exited: Promise<ExitStatus>;
  /** The last lines the server printed, for failure messages. */
  outputTail(): string;
  /**
   * Every answer the server logged, in order: it also sees what a browser asks outside any page's
   * traffic (its favicon request, for one).
   */
  answers: LoggedAnswer[];
}

/**
 * Starts `tsx server/main.ts` directly rather than through `npx`: npm exec dies on SIGTERM
 * without passing it on (tried: the server was left running, orphaned), so a clean-shutdown
 * check would test npm instead of the server.
 * `env` is added to this process's environment; DATABASE_URL is dropped unless given.
 */
export async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), ...env };
  if (!('DATABASE_URL' in env)) delete childEnv.DATABASE_URL;
  // As `npm start` runs it: node itself with the tsx loader, so signals reach the server directly.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const answers: LoggedAnswer[] = [];
  const reader = () => {
    let partial = '';
    return (chunk: Buffer): void => {
      const text = partial + chunk.toString();
      const complete = text.split('\n');
      partial = complete.pop() ?? '';
      for (const line of complete.filter(Boolean)) {
        lines.push(line);
        const answer = loggedAnswer(line);
        if (answer) answers.push(answer);
      }
      if (lines.length > OUTPUT_LINES_KEPT) lines.splice(0, lines.length - OUTPUT_LINES_KEPT);
    };
  };
  child.stdout?.on('data', reader());
  child.stderr?.on('data', reader());
  const exited = new Promise<ExitStatus>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  // 127.0.0.1, not localhost: the server binds 0.0.0.0 (IPv4) by default.
  return { baseUrl: `http://127.0.0.1:${port}`, child, exited, outputTail: () => lines.slice(-40).join('\n'), answers };
}

/** The answer a request-log line records (server/http/request-log.ts), or null for any other line. */
function loggedAnswer(line: string): LoggedAnswer | null {
  if (!line.startsWith('{')) return null;
  try {
    const entry = JSON.parse(line) as { req?: { method?: string; url?: string }; res?: { statusCode?: number } };
    const { method, url } = entry.req ?? {};
    const status = entry.res?.statusCode;
    return method && url && typeof status === 'number' ? { method, url, status } : null;
  } catch {
    return null;
  }
}

/**
 * fetch for the tests' own requests, on a new connection each time (`Connection: close`), never
 * retried. Not a keep-alive one: when the server's event loop is busy for longer than its
 * keep-alive timeout (5 s; a full-province engine sweep after a write or for a past date can be,
 * on a loaded machine), the idle timer of a kept connection fires as soon as the loop is free and
 * closes it under a request already sent on it, which then fails with ECONNRESET although the
 * server would have answered. A browser resends such a request; Node's fetch does not. A slow
 * answer stays slow here, and an error status is still the test's failure.
 */
export function testFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('connection', 'close');
  return fetch(url, { ...init, headers });
}

function isRunning(server: RunningServer): boolean {
  return server.child.exitCode === null && server.child.signalCode === null;
}

/** Polls GET /api/health until 200; returns how long that took, in ms. */
export async function waitForHealth(server: RunningServer, timeoutMs = HEALTH_TIMEOUT_MS): Promise<number> {
  const started = Date.now();
  let lastError = '';
  while (Date.now() - started < timeoutMs) {
    if (!isRunning(server)) {
      throw new Error(`server exited (${server.child.exitCode ?? server.child.signalCode}) before it was healthy:\n${server.outputTail()}`);
    }
    try {
      const res = await testFetch(`${server.baseUrl}/api/health`, { signal: AbortSignal.timeout(5_000) });
      if (res.status === 200) return Date.now() - started;
      lastError = `status ${res.status}`;
    } catch (err) {
      lastError = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no 200 from /api/health within ${timeoutMs} ms (last: ${lastError}):\n${server.outputTail()}`);
}

/** SIGTERM, then the exit status; SIGKILL and an error if it does not exit in time. */
export async function stopServer(server: RunningServer): Promise<ExitStatus> {
  if (isRunning(server)) server.child.kill('SIGTERM');
  const timeout = new Promise<null>((r) => setTimeout(() => r(null), SHUTDOWN_TIMEOUT_MS));
  const result = await Promise.race([server.exited, timeout]);
  if (result === null) {
    server.child.kill('SIGKILL');
    throw new Error(`server did not exit within ${SHUTDOWN_TIMEOUT_MS} ms of SIGTERM:\n${server.outputTail()}`);
  }
  return result;
}

/** Last resort for afterAll: no server outlives its suite. */
export function killIfRunning(server: RunningServer | null): void {
  if (server && isRunning(server)) server.child.kill('SIGKILL');
}

/** Runs one statement on the PostgreSQL server of TEST_DATABASE_URL (creating and dropping databases). */
export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** TEST_DATABASE_URL with another database name. */
export function databaseUrlFor(name: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}
