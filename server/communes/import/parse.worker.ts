import { ValidationError } from '../../errors';
import type { TaskSend } from '../../jobs/off-thread';
import { parseCommuneFile, type CommuneFieldMap, type ParsedCommune } from './parse-communes';

export interface CommuneParseInput {
  text: string;
  fields: CommuneFieldMap;
  overrides: { provinceCode?: string; provinceName?: string };
}

/** A parsed commune whose geometry travels as GeoJSON text: one string crosses threads far faster than nested arrays. */
export type ParsedCommuneText = Omit<ParsedCommune, 'geometry'> & { geometryJson: string };

/** Worker task: read a commune boundary file; a file-level fault comes back as `fault`, not thrown. */
export default async function parseCommunesTask(input: CommuneParseInput, send: TaskSend) {
  try {
    const { communes, rejected, warnings } = parseCommuneFile(input.text, input.fields, input.overrides);
    await send('communes', communes.map(({ geometry, ...c }) => ({ ...c, geometryJson: JSON.stringify(geometry) })));
    return { rejected, warnings, fault: null };
  } catch (err) {
    if (err instanceof ValidationError) return { rejected: [], warnings: [], fault: err.message };
    throw err;
  }
}
