/**
 * A reading client for the benches that time reads while the server is busy (an upload, a plan).
 * It runs in a worker thread of its own: in the server's thread it would stop sending while the
 * server's event loop is held, and its own work (fetch, decoding) would be counted as the server's.
 */
import { Worker } from 'node:worker_threads';

export interface Read {
  /** When the read was sent, on the caller's `performance.now()` clock. */
  at: number;
  waitedMs: number;
  status: number;
}

/** The reading loop (plain JavaScript: evaluated in a worker thread). */
const READER = `
const { parentPort, workerData } = require('node:worker_threads');
let reading = true;
parentPort.once('message', () => { reading = false; });
(async () => {
  while (reading) {
    const atAbs = performance.timeOrigin + performance.now();
    let status = 0; // a failed read (connection reset, say) is counted, not fatal
    try {
      const res = await fetch(workerData.url, { headers: workerData.headers });
      await res.arrayBuffer();
      status = res.status;
    } catch {}
    const waitedMs = performance.timeOrigin + performance.now() - atAbs;
    parentPort.postMessage({ atAbs, waitedMs, status });
    await new Promise((r) => setTimeout(r, Math.max(0, workerData.everyMs - waitedMs)));
  }
  parentPort.close();
})();
`;

/** Reads `url` every `everyMs` (less the read's own wait) until `stop()`, which resolves with every read. */
export function startReader(url: string, everyMs: number, headers: Record<string, string> = {}) {
  const reads: Read[] = [];
  const worker = new Worker(READER, { eval: true, workerData: { url, everyMs, headers } });
  worker.on('message', (r: { atAbs: number; waitedMs: number; status: number }) => reads.push({ at: r.atAbs - performance.timeOrigin, waitedMs: r.waitedMs, status: r.status }));
  const exited = new Promise((r) => worker.once('exit', r));
  return {
    reads,
    async stop(): Promise<Read[]> {
      worker.postMessage('stop');
      await exited;
      return reads;
    },
  };
}

/** Worst, 99th percentile and median wait of some reads. */
export function summarise(reads: readonly Read[]) {
  if (reads.length === 0) return { n: 0, worstMs: null, p99Ms: null, medianMs: null };
  const w = reads.map((r) => r.waitedMs).sort((a, b) => a - b);
  const at = (q: number) => w[Math.min(w.length - 1, Math.ceil(q * w.length) - 1)];
  return { n: w.length, worstMs: w[w.length - 1], p99Ms: at(0.99), medianMs: at(0.5) };
}
