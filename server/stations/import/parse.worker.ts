import type { TaskSend } from './off-thread';
import { parseStationFile, type ParseStationFileOptions } from './index';
import { sortIssues } from './issues';

export interface StationParseInput extends ParseStationFileOptions {
  data: Uint8Array;
}

/** Worker task: parse and check a station file; rows and issues (in report order) go back in chunks. */
export default async function parseStationsTask(input: StationParseInput, send: TaskSend) {
  const { data, ...options } = input;
  const parsed = await parseStationFile(Buffer.from(data.buffer, data.byteOffset, data.byteLength), options);
  await send('issues', sortIssues(parsed.issues));
  await send('rows', parsed.rows);
  return { format: parsed.format };
}
