// The map style is built in code: a plain background and nothing fetched. This machine (and the
// planners' offices) may have no internet, so no basemap tiles, no glyphs (hence no symbol
// layers: labels are HTML) and no sprites — unless a deployment configures a basemap, which
// the server writes into <meta name="phusong-basemap" content="…"> (raster tiles with
// {z}/{x}/{y}, or a MapLibre style.json) with its credit in <meta name="phusong-basemap-attribution">.
import type { StyleSpecification } from 'maplibre-gl';

/** Colour outside the communes: a pale grey-blue that reads as "not this province". */
export const BACKGROUND_COLOUR = '#dfe6ea';

export interface Basemap {
  url: string;
  attribution: string;
}

/** The configured basemap, or null (the default: nothing but our own data is drawn). */
export function configuredBasemap(doc: Document = document): Basemap | null {
  const url = doc.querySelector<HTMLMetaElement>('meta[name="phusong-basemap"]')?.content.trim() ?? '';
  if (!/^https?:\/\//.test(url) && !url.startsWith('/')) return null;
  const attribution = doc.querySelector<HTMLMetaElement>('meta[name="phusong-basemap-attribution"]')?.content.trim() ?? '';
  return { url, attribution };
}

/** A style object, or the URL of a full style.json a deployment provides. */
export function buildBaseStyle(basemap: Basemap | null = null): StyleSpecification | string {
  if (basemap && !basemap.url.includes('{z}')) return basemap.url;
  const style: StyleSpecification = {
    version: 8,
    name: 'phusong-offline',
    // No animated fades: software-rendered WebGL (and slow laptops) pay for every extra frame.
    transition: { duration: 0, delay: 0 },
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': BACKGROUND_COLOUR } }],
  };
  if (basemap) {
    style.sources.basemap = { type: 'raster', tiles: [basemap.url], tileSize: 256, attribution: basemap.attribution || undefined };
    style.layers.push({ id: 'basemap', type: 'raster', source: 'basemap' });
  }
  return style;
}
