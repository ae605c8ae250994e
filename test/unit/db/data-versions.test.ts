import { describe, expect, it } from 'vitest';
import { coalesced } from '../../../server/db/data-versions';

/** A read we resolve by hand, recording when each one started. */
function fakeReads() {
  const started: Array<{ at: number; resolve: (v: number) => void; reject: (e: Error) => void }> = [];
  let clock = 0;
  const read = () => new Promise<number>((resolve, reject) => started.push({ at: clock, resolve, reject }));
  return { started, read, tick: () => ++clock };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('coalesced reads', () => {
  it('gives callers arriving during a read the next read, shared, started after they arrived', async () => {
    const f = fakeReads();
    const get = coalesced(f.read);
    const a = get();
    f.tick(); // a write commits here
    const b = get();
    const c = get();
    expect(f.started).toHaveLength(1); // b and c wait: the read in flight may predate the write
    f.started[0].resolve(1);
    expect(await a).toBe(1);
    await flush();
    expect(f.started).toHaveLength(2);
    expect(f.started[1].at).toBe(1); // started after b and c arrived
    f.started[1].resolve(2);
    expect([await b, await c]).toEqual([2, 2]);
  });

  it('starts afresh once idle, and a failed read fails only its own callers', async () => {
    const f = fakeReads();
    const get = coalesced(f.read);
    const a = get();
    const b = get();
    f.started[0].reject(new Error('down'));
    await expect(a).rejects.toThrow('down');
    await flush();
    f.started[1].resolve(7);
    expect(await b).toBe(7);
    await flush();
    const c = get();
    expect(f.started).toHaveLength(3);
    f.started[2].resolve(8);
    expect(await c).toBe(8);
  });
});
