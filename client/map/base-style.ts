// The map style is built in code: a plain background and nothing fetched. This machine (and the
// planners' offices) may have no internet, so no basemap tiles, no glyphs (hence no symbol
// layers: labels are HTML) and no sprites.
import type { StyleSpecification } from 'maplibre-gl';

/** Colour outside the communes: a pale grey-blue that reads as "not this province". */
export const BACKGROUND_COLOUR = '#dfe6ea';

export function buildBaseStyle(): StyleSpecification {
  return {
    version: 8,
    name: 'phusong-offline',
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': BACKGROUND_COLOUR } }],
  };
}
