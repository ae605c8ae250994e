// A start that fails says why in one line; LOG_LEVEL=debug adds the stack, both when the
// configuration itself is refused (no Config exists yet) and when a later step fails.
import { execFile } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../e2e/support/server-process';

interface Outcome {
  code: number | null;
  /** What the server printed from its "could not start" line on. */
  report: string;
}

function start(env: Record<string, string>): Promise<Outcome> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const name of ['LOG_LEVEL', 'DATABASE_URL', 'PORT']) if (!(name in env)) delete childEnv[name];
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env: childEnv, timeout: 90_000 }, (err, _stdout, stderr) => {
      const from = stderr.indexOf('phusong: could not start:');
      resolve({ code: err && typeof err.code === 'number' ? err.code : err ? null : 0, report: from < 0 ? stderr : stderr.slice(from) });
    });
  });
}

const hasStack = (report: string) => /^\s+at /m.test(report);
// Nothing listens on port 1: the database step fails at once, after the configuration was accepted.
const UNREACHABLE_DATABASE = 'postgres://postgres@127.0.0.1:1/none';

describe('a failed start', () => {
  let outcomes: Record<'badConfig' | 'badConfigDebug' | 'noDatabase' | 'noDatabaseDebug', Outcome>;

  beforeAll(async () => {
    const [badConfig, badConfigDebug, noDatabase, noDatabaseDebug] = await Promise.all([
      start({ PORT: 'not-a-port' }),
      start({ PORT: 'not-a-port', LOG_LEVEL: 'debug' }),
      start({ DATABASE_URL: UNREACHABLE_DATABASE, LOG_LEVEL: 'info' }),
      start({ DATABASE_URL: UNREACHABLE_DATABASE, LOG_LEVEL: 'debug' }),
    ]);
    outcomes = { badConfig, badConfigDebug, noDatabase, noDatabaseDebug };
  }, 120_000);

  it('a refused configuration: one line, exit 1; the stack only with LOG_LEVEL=debug', () => {
    const { badConfig, badConfigDebug } = outcomes;
    for (const o of [badConfig, badConfigDebug]) {
      expect(o.code).toBe(1);
      expect(o.report).toMatch(/^phusong: could not start: invalid configuration: PORT: /);
    }
    expect(hasStack(badConfig.report), badConfig.report).toBe(false);
    expect(hasStack(badConfigDebug.report), badConfigDebug.report).toBe(true);
    expect(badConfigDebug.report).toMatch(/at loadConfig/);
  });

  it('a later failure (no database): one line, exit 1; the stack only with LOG_LEVEL=debug', () => {
    const { noDatabase, noDatabaseDebug } = outcomes;
    for (const o of [noDatabase, noDatabaseDebug]) {
      expect(o.code).toBe(1);
      expect(o.report).toMatch(/^phusong: could not start: .*ECONNREFUSED/);
    }
    expect(hasStack(noDatabase.report), noDatabase.report).toBe(false);
    expect(hasStack(noDatabaseDebug.report), noDatabaseDebug.report).toBe(true);
  });
});
