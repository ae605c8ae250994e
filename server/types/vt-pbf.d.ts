declare module 'vt-pbf' {
  /** A feature as geojson-vt emits it: type 1 point, 2 line, 3 polygon; tile coordinates. */
  export interface VtFeature {
    type: 1 | 2 | 3;
    geometry: Array<[number, number]> | Array<Array<[number, number]>>;
    tags: Record<string, string | number | boolean>;
    id?: number;
  }
  export function fromGeojsonVt(layers: Record<string, { features: VtFeature[] }>, options?: { version?: number; extent?: number }): Uint8Array;
}
