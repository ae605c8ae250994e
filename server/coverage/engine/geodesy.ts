/**
 * WGS84 ellipsoid radii of curvature. The engine measures on the ellipsoid rather than a sphere:
 * at 21° N a spherical Earth is 0.5 % too long north–south and 0.16 % too short east–west, which
 * would bias every coverage fraction by about 0.3 % against PostGIS (UTM or geography).
 */

/** WGS84 semi-major axis, metres (NIMA TR8350.2). */
export const WGS84_A_M = 6_378_137;
/** WGS84 flattening (NIMA TR8350.2). */
export const WGS84_F = 1 / 298.257223563;
/** First eccentricity squared. */
export const WGS84_E2 = WGS84_F * (2 - WGS84_F);

export const DEG_TO_RAD = Math.PI / 180;

/** Meridional radius of curvature M at a latitude, metres. */
export function meridionalRadiusM(latDeg: number): number {
  const s = Math.sin(latDeg * DEG_TO_RAD);
  const w = 1 - WGS84_E2 * s * s;
  return (WGS84_A_M * (1 - WGS84_E2)) / (w * Math.sqrt(w));
}

/** Prime-vertical radius of curvature N at a latitude, metres. */
export function primeVerticalRadiusM(latDeg: number): number {
  const s = Math.sin(latDeg * DEG_TO_RAD);
  return WGS84_A_M / Math.sqrt(1 - WGS84_E2 * s * s);
}

/** Ground length of one degree of latitude at a latitude, metres. */
export function metresPerDegreeLat(latDeg: number): number {
  return meridionalRadiusM(latDeg) * DEG_TO_RAD;
}

/** Ground length of one degree of longitude along the parallel at a latitude, metres. */
export function metresPerDegreeLon(latDeg: number): number {
  return primeVerticalRadiusM(latDeg) * Math.cos(latDeg * DEG_TO_RAD) * DEG_TO_RAD;
}
