import { webcrypto } from 'node:crypto';
import type { ImportIssue, ParsedFile } from './issues';
import type { OffThread } from '../../jobs/off-thread';
import type { StationParseInput } from './parse.worker';
import type { RadioRow, StationFormat } from '../stations.schema';
import type { StagedSite } from '../stations.write';

const STATIONS_TASK = new URL('./parse.worker.ts', import.meta.url).href;

/**
 * `parseStationFile` in a worker thread: the same answer, with issues already in report order
 * (file-level first, then by row and column), and the rows grouped into stations for the write
 * (`groupSites`). The bytes are copied to the worker.
 */
export async function parseStationFileOffThread(
  offThread: OffThread,
  input: StationParseInput,
): Promise<ParsedFile & { grouped: { sites: StagedSite[]; siteOfRow: Int32Array } }> {
  const { done, lists } = await offThread.run<{ format: StationFormat; siteOfRow: Int32Array }>(STATIONS_TASK, input);
  return {
    format: done.format, rows: (lists.rows ?? []) as RadioRow[], issues: (lists.issues ?? []) as ImportIssue[],
    grouped: { sites: (lists.sites ?? []) as StagedSite[], siteOfRow: done.siteOfRow },
  };
}

/** SHA-256 in hex, computed on libuv's thread pool (webcrypto), not on the event loop. */
export async function sha256Hex(data: Uint8Array): Promise<string> {
  return Buffer.from(await webcrypto.subtle.digest('SHA-256', data)).toString('hex');
}
