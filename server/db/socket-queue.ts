import type { PGlite } from '@electric-sql/pglite';

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve: (bytes: number) => void;
  reject: (err: unknown) => void;
  onData: (data: Uint8Array) => void;
}

interface QueryQueue {
  db: PGlite;
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

// Frontend message types of the extended query protocol (Parse, Bind, Describe, Execute, Close,
// Flush): a client's run of these up to its Sync must reach the backend without another client's
// messages in between, or one client's Bind meets the other's unnamed statement
// ("unnamed prepared statement does not exist").
const EXTENDED = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]);

/**
 * pglite-socket 0.2.11 queues each protocol message on its own and interleaves connections between
 * messages (it keeps a connection's messages together only inside a transaction). It also stops
 * serving for good after one failed message. This replaces its queue loop: a connection that has
 * begun an extended-protocol exchange keeps the backend until its Sync, and a failure rejects that
 * message only.
 */
export function serialiseSocketQueue(server: unknown): void {
  const q = (server as { queryQueue: QueryQueue }).queryQueue;
  let pinned: number | null = null;

  q.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = pinned ?? (this.db.isInTransaction() && this.lastHandlerId !== null ? this.lastHandlerId : null);
        let item: QueuedMessage | undefined;
        if (owner !== null) {
          const i = this.queue.findIndex((m) => m.handlerId === owner);
          if (i === -1) break; // wait for the owner's next message
          item = this.queue.splice(i, 1)[0];
        } else {
          item = this.queue.shift();
        }
        if (!item) break;
        pinned = EXTENDED.has(item.message[0]) ? item.handlerId : null;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item!.message, { onRawData: (d: Uint8Array) => { bytes += d.length; item!.onData(d); } }),
          );
          this.lastHandlerId = item.handlerId;
          item.resolve(bytes);
        } catch (err) {
          pinned = null;
          item.reject(err);
        }
      }
    } finally {
      this.processing = false;
    }
  };

  const clear = q.clearQueueForHandler.bind(q);
  q.clearQueueForHandler = (handlerId: number) => {
    clear(handlerId);
    if (pinned === handlerId) {
      pinned = null;
      void q.processQueue();
    }
  };
}
