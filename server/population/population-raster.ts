/**
 * Reads a GeoTIFF of people per cell (one band, EPSG:4326, north up) into the engine's
 * `PopulationGrid`: a window around a bounding box, never the whole file. The engine itself reads
 * no file (server/coverage/engine/population.ts); this is its only reader of rasters.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { fromFile, type GeoTIFFImage } from 'geotiff';
import type { PopulationGrid } from '../coverage/engine/population';

export const SRID_WGS84 = 4326;
/** GeoTIFF GeoKey values (OGC GeoTIFF 1.1): geographic model, pixel-is-point raster. */
const MODEL_TYPE_GEOGRAPHIC = 2;
const RASTER_PIXEL_IS_POINT = 2;

/** [minLon, minLat, maxLon, maxLat], degrees. */
export type Bbox = readonly [number, number, number, number];

/** A raster that cannot serve as a population grid; the message says why and names the file. */
export class PopulationRasterError extends Error {
  override name = 'PopulationRasterError';
}

export interface PopulationRasterInfo {
  /** Stable identifier: the file name without its extension. */
  id: string;
  name: string;
  /** Year the estimate is for; null when neither the file name nor the metadata says. */
  year: number | null;
  /** Who made it, with a DOI or address where known. */
  source: string;
  /** Licence as published, or a sentence saying it is not known. */
  licence: string;
  /** Credit to show next to every figure derived from the grid. */
  attribution: string;
  /** SHA-256 of the file's bytes, hex: part of the model version. */
  sha256: string;
}

/** The raster this project ships a description of (`../shared/geodata/population/README.md`). */
const WORLDPOP_VNM_2020_SHA256 = '55cc3fb948c9afec65d674f3ae43f2e47c7cdd2ab89e232b66d52959dcc92415';
const WORLDPOP_FILE = /^[a-z]{3}_ppp_(\d{4})_1km_Aggregated_UNadj$/i;
export const UNKNOWN_LICENCE = 'unknown: the file does not say, check with its provider before publishing figures derived from it';

/** The whole raster's geometry (the grid's shape, without its values), open for window reads. */
interface OpenRaster extends Omit<PopulationGrid, 'values'> {
  image: GeoTIFFImage;
  close: () => Promise<void> | false;
  noData: number | null;
}

/**
 * People per cell inside `bbox` plus one cell of margin on each side, clipped to the raster;
 * null when the raster does not reach the bbox. Cells the file marks as no data (its GDAL nodata,
 * −99999 for WorldPop), and non-finite values, are NaN (the engine counts them as 0 people).
 */
export async function readPopulationGrid(file: string, bbox: Bbox): Promise<PopulationGrid | null> {
  const [minLon, minLat, maxLon, maxLat] = bbox;
  if (!(minLon <= maxLon && minLat <= maxLat) || ![minLon, minLat, maxLon, maxLat].every(Number.isFinite)) {
    throw new RangeError(`bad bbox ${bbox.join(',')}`);
  }
  const r = await openRaster(file);
  try {
    const x0 = Math.max(0, Math.floor((minLon - r.west) / r.cellDegX) - 1);
    const x1 = Math.min(r.width, Math.floor((maxLon - r.west) / r.cellDegX) + 2);
    const y0 = Math.max(0, Math.floor((r.north - maxLat) / r.cellDegY) - 1);
    const y1 = Math.min(r.height, Math.floor((r.north - minLat) / r.cellDegY) + 2);
    if (x1 <= x0 || y1 <= y0) return null;
    const raster = (await r.image.readRasters({ window: [x0, y0, x1, y1], samples: [0], interleave: true })) as ArrayLike<number>;
    const values = new Float32Array(raster.length);
    // A Float32 file stores its nodata rounded to float32: compare in that precision too.
    const noData = r.noData === null ? null : [r.noData, Math.fround(r.noData)];
    for (let i = 0; i < raster.length; i++) {
      const v = raster[i];
      values[i] = !Number.isFinite(v) || (noData !== null && (v === noData[0] || v === noData[1])) ? Number.NaN : v;
    }
    return {
      west: r.west + x0 * r.cellDegX,
      north: r.north - y0 * r.cellDegY,
      cellDegX: r.cellDegX,
      cellDegY: r.cellDegY,
      width: x1 - x0,
      height: y1 - y0,
      values,
    };
  } finally {
    await r.close();
  }
}

/** Name, year, source, licence and digest of a population raster (checks that it is usable). */
export async function describePopulationRaster(file: string): Promise<PopulationRasterInfo> {
  const r = await openRaster(file);
  let metadataYear: number | null;
  try {
    metadataYear = await yearFromMetadata(r.image);
  } finally {
    await r.close();
  }
  const sha256 = await fileSha256(file);
  const id = path.basename(file).replace(/\.tiff?$/i, '');
  const worldPop = WORLDPOP_FILE.exec(id);
  if (sha256 === WORLDPOP_VNM_2020_SHA256 || worldPop) {
    const year = worldPop ? Number(worldPop[1]) : 2020;
    return {
      id,
      name: `WorldPop ${year}, 30″ UN-adjusted`,
      year,
      source: 'WorldPop (www.worldpop.org, University of Southampton), Global High Resolution Population Denominators, 1 km aggregated UN-adjusted, DOI 10.5258/SOTON/WP00671',
      licence: 'CC BY 4.0',
      attribution: `Population grid: WorldPop (www.worldpop.org), ${year}, CC BY 4.0`,
      sha256,
    };
  }
  const name = id.replace(/[_-]+/g, ' ').trim();
  const year = yearFromName(id) ?? metadataYear;
  return {
    id,
    name,
    year,
    source: `${path.basename(file)} (provider not recorded in the file)`,
    licence: UNKNOWN_LICENCE,
    attribution: `Population grid: ${name}${year ? `, ${year}` : ''} (licence unknown)`,
    sha256,
  };
}

async function openRaster(file: string): Promise<OpenRaster> {
  let tiff: Awaited<ReturnType<typeof fromFile>>;
  try {
    tiff = await fromFile(file);
  } catch (err) {
    throw new PopulationRasterError(`population raster ${file}: cannot be read as a GeoTIFF (${(err as Error).message})`);
  }
  const close = () => tiff.close();
  try {
    const image = await tiff.getImage();
    const bands = image.getSamplesPerPixel();
    if (bands !== 1) throw new PopulationRasterError(`population raster ${file}: has ${bands} bands, one band of people per cell is needed`);
    const keys = image.getGeoKeys() ?? {};
    const epsg = keys.ProjectedCSTypeGeoKey ?? keys.GeographicTypeGeoKey;
    if (keys.ProjectedCSTypeGeoKey !== undefined || keys.GTModelTypeGeoKey !== MODEL_TYPE_GEOGRAPHIC || epsg !== SRID_WGS84) {
      throw new PopulationRasterError(`population raster ${file}: is in EPSG:${epsg ?? 'unknown'}, EPSG:${SRID_WGS84} (WGS 84 longitude/latitude) is needed; reproject it first (gdalwarp -t_srs EPSG:4326)`);
    }
    const fd = image.getFileDirectory();
    const transform = fd.hasTag('ModelTransformation') ? ((await fd.loadValue('ModelTransformation')) as number[]) : undefined;
    if (transform && (transform[1] !== 0 || transform[4] !== 0)) throw new PopulationRasterError(`population raster ${file}: is rotated; a north-up grid is needed`);
    let [resX, resY] = image.getResolution();
    let [west, north] = image.getOrigin();
    if (!(resX > 0 && resY < 0)) throw new PopulationRasterError(`population raster ${file}: rows must run north to south (resolution ${resX}, ${resY})`);
    resY = -resY;
    // Pixel-is-point: the tie point is a cell's centre, its west/north edge half a cell away.
    if (keys.GTRasterTypeGeoKey === RASTER_PIXEL_IS_POINT) {
      west -= resX / 2;
      north += resY / 2;
    }
    return { image, close, west, north, cellDegX: resX, cellDegY: resY, width: image.getWidth(), height: image.getHeight(), noData: image.getGDALNoData() };
  } catch (err) {
    await close();
    if (err instanceof PopulationRasterError) throw err;
    throw new PopulationRasterError(`population raster ${file}: ${(err as Error).message}`);
  }
}

function yearFromName(id: string): number | null {
  const m = /(?:^|[^0-9])((?:19|20)\d{2})(?:[^0-9]|$)/.exec(id);
  return m ? Number(m[1]) : null;
}

/** A year in the GDAL metadata (a YEAR-like item) or the TIFF DateTime tag, else null. */
async function yearFromMetadata(image: GeoTIFFImage): Promise<number | null> {
  const metadata = (await image.getGDALMetadata().catch(() => null)) ?? {};
  for (const [key, value] of Object.entries(metadata)) {
    if (/year|date/i.test(key)) {
      const y = yearFromName(String(value));
      if (y) return y;
    }
  }
  const fd = image.getFileDirectory();
  const dateTime = fd.hasTag('DateTime') ? String(await fd.loadValue('DateTime')) : undefined;
  return dateTime ? yearFromName(dateTime) : null;
}

export function fileSha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file).on('data', (chunk) => hash.update(chunk)).on('error', reject).on('end', () => resolve(hash.digest('hex')));
  });
}
