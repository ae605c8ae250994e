import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';

/**
 * Work that is pure CPU runs in a worker thread, so that the event loop keeps answering other
 * requests meanwhile: uploads (decoding, parsing, row checks) and a cold start's terrain footprints. A worker shares no database
 * connection: it gets bytes and lookup data, and gives back plain rows and issues.
 *
 * A task module's default export is `(input, send) => Promise<done>`: `send(list, items)` streams
 * a large array back in chunks (a single 100,000-row message would cost the main thread about
 * 0.2 s to deserialise in one go), `done` is the small rest of the answer.
 */
export type TaskSend = (list: string, items: readonly unknown[]) => Promise<void>;

export interface OffThread {
  run<TDone>(moduleUrl: string, input: unknown): Promise<{ done: TDone; lists: Record<string, unknown[]> }>;
  close(): Promise<void>;
}

/** Items per message: about 4 ms to deserialise for station rows. */
const CHUNK_ITEMS = 2000;
/** An idle worker thread exits after this; the next upload starts one again (about 0.2 s). */
const IDLE_TIMEOUT_MS = 60_000;

/**
 * A pool of at most `maxThreads` workers (default 1: uploads are rare, and each already has a
 * core to itself on a 2-core machine; a second upload waits its turn), created on first use.
 */
export function createOffThread(options: { maxThreads?: number } = {}): OffThread {
  let pool: Piscina | null = null;
  const get = () =>
    (pool ??= new Piscina({
      filename: new URL('./off-thread-boot.mjs', import.meta.url).href,
      minThreads: 0,
      maxThreads: options.maxThreads ?? 1,
      idleTimeout: IDLE_TIMEOUT_MS,
    }));
  return {
    run<TDone>(moduleUrl: string, input: unknown) {
      const { port1, port2 } = new MessageChannel();
      const lists: Record<string, unknown[]> = {};
      return new Promise<{ done: TDone; lists: Record<string, unknown[]> }>((resolve, reject) => {
        port1.on('message', (message: { list?: string; items?: unknown[]; done?: TDone; error?: string }) => {
          if (message.list !== undefined) {
            const list = (lists[message.list] ??= []);
            for (const item of message.items!) list.push(item);
            // The next chunk once other callbacks had their turn.
            setImmediate(() => port1.postMessage(1));
            return;
          }
          port1.close();
          if (message.error !== undefined) reject(new Error(`upload worker: ${message.error}`));
          else resolve({ done: message.done as TDone, lists });
        });
        get()
          .run({ module: moduleUrl, input, port: port2, chunk: CHUNK_ITEMS }, { transferList: [port2] })
          .catch((err: unknown) => {
            port1.close();
            reject(err);
          });
      });
    },
    async close() {
      const p = pool;
      pool = null;
      await p?.destroy();
    },
  };
}
