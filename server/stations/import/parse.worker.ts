import { groupSites } from '../stations.write';
import type { TaskSend } from '../../jobs/off-thread';
import { parseStationFile, type ParseStationFileOptions } from './index';
import { sortIssues } from './issues';

export interface StationParseInput extends ParseStationFileOptions {
  data: Uint8Array;
}

/** Worker task: parse and check a station file; rows, issues (in report order) and stations go back in chunks. */
export default async function parseStationsTask(input: StationParseInput, send: TaskSend) {
  const { data, ...options } = input;
  const parsed = await parseStationFile(Buffer.from(data.buffer, data.byteOffset, data.byteLength), options);
  await send('issues', sortIssues(parsed.issues));
  await send('rows', parsed.rows);
  // The write's grouping of rows into stations, done here: 100,000 rows took the event loop 0.1–0.25 s.
  const { sites, siteOfRow } = groupSites(parsed.rows);
  await send('sites', sites);
  return { format: parsed.format, siteOfRow };
}
