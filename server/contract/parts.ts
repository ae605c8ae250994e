/**
 * Building blocks of the answers' schemas (the `*.schema.ts` files of each domain): timestamps,
 * dates, upload issues and GeoJSON. Answers are strict objects: a field the service sends and the
 * schema does not name fails the contract test (test/api/contract.test.ts), as does a field the
 * schema names and the service does not send.
 */
import { z } from 'zod';

/**
 * A moment: a `Date` in the service (what `pg` returns for timestamptz), its ISO 8601 string in
 * UTC on the wire (what `JSON.stringify` writes). The OpenAPI document shows the wire side.
 */
export const Timestamp = z.codec(z.iso.datetime(), z.date(), {
  decode: (s) => new Date(s),
  encode: (d) => d.toISOString(),
});

/** A calendar day, YYYY-MM-DD. */
export const Day = z.iso.date();

/** One problem found in an upload or a request; rows as a person sees them (README). */
export const IssueSchema = z
  .strictObject({
    severity: z.enum(['error', 'warning']),
    row: z.number().int().nullable(),
    column: z.string().nullable(),
    message: z.string(),
  })
  .meta({ id: 'Issue' });

// GeoJSON (RFC 7946), [lon, lat] in WGS84 degrees.
const Position = z.array(z.number()).min(2).max(3);
const Ring = z.array(Position).min(4);
export const PointSchema = z.strictObject({ type: z.literal('Point'), coordinates: Position });
export const PolygonSchema = z.strictObject({ type: z.literal('Polygon'), coordinates: z.array(Ring) });
export const MultiPolygonSchema = z.strictObject({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(Ring)) });
const LineStringSchema = z.strictObject({ type: z.literal('LineString'), coordinates: z.array(Position).min(2) });
const MultiLineStringSchema = z.strictObject({ type: z.literal('MultiLineString'), coordinates: z.array(z.array(Position).min(2)) });
const MultiPointSchema = z.strictObject({ type: z.literal('MultiPoint'), coordinates: z.array(Position) });
const SimpleGeometry = z.discriminatedUnion('type', [PointSchema, MultiPointSchema, LineStringSchema, MultiLineStringSchema, PolygonSchema, MultiPolygonSchema]);
/** What PostGIS overlays may return (a difference or union can come back as a collection). */
export const GeometrySchema = z.union([SimpleGeometry, z.strictObject({ type: z.literal('GeometryCollection'), geometries: z.array(SimpleGeometry) })]);

/** A GeoJSON Feature with these properties and this geometry; `id` as the route sets it. */
export function feature<P extends z.ZodType, G extends z.ZodType, I extends z.ZodType>(properties: P, geometry: G, id: I) {
  return z.strictObject({ type: z.literal('Feature'), id, properties, geometry });
}

/** The boundary credit every answer with boundaries carries (communes.schema.ts BOUNDARY_ATTRIBUTION). */
export const Attribution = z.string().min(1);
