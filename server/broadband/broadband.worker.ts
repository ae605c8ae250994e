import { sortIssues } from '../stations/import/issues';
import type { TaskSend } from '../jobs/off-thread';
import type { BroadbandFormat } from './broadband.schema';
import { parseBroadbandFile } from './broadband.parse';
import { validateBroadband, type BroadbandCommune, type BroadbandValidationContext } from './broadband.validate';

export interface BroadbandParseInput extends Omit<BroadbandValidationContext, 'communes'> {
  data: Uint8Array;
  format?: BroadbandFormat;
  contentType: string | null;
  maxRows: number;
  /** [code, commune] pairs: a Map does not cross to a worker as cheaply. */
  communes: Array<[string, BroadbandCommune]>;
}

/** Worker task: parse and check a broadband upload; rows and issues (in report order) go back in chunks. */
export default async function parseBroadbandTask(input: BroadbandParseInput, send: TaskSend) {
  const { data, format, contentType, maxRows, communes, ...context } = input;
  const table = parseBroadbandFile(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { format, contentType, maxRows });
  const { rows, issues } = validateBroadband(table, { ...context, communes: new Map(communes) });
  await send('issues', sortIssues(issues));
  await send('rows', rows);
  return { format: table.format };
}
