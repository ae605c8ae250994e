import type { Knex } from 'knex';
import type { ProvinceKind } from './provinces.schema';

export interface ProvinceRow {
  code: string;
  name: string;
  fullName: string;
  nameEn: string | null;
  kind: ProvinceKind;
  /** [west, south, east, north]; null while it has no outline. */
  bbox: [number, number, number, number] | null;
}

export interface ProvincesRepo {
  /** The provinces the database holds communes of, by code. */
  held(): Promise<string[]>;
  /** Those provinces, by code, optionally with their outlines as GeoJSON text. */
  list(withOutline?: boolean): Promise<Array<ProvinceRow & { outline?: string | null }>>;
}

export function createProvincesRepo(knex: Knex): ProvincesRepo {
  return {
    async held() {
      const { rows } = await knex.raw<{ rows: Array<{ code: string }> }>('SELECT DISTINCT province_code AS code FROM communes ORDER BY 1');
      return rows.map((r) => r.code);
    },

    async list(withOutline = false) {
      const { rows } = await knex.raw(
        `SELECT p.code, p.name, p.full_name AS "fullName", p.name_en AS "nameEn", p.kind,
                CASE WHEN p.geom_display IS NULL THEN NULL
                     ELSE json_build_array(ST_XMin(p.geom_display), ST_YMin(p.geom_display), ST_XMax(p.geom_display), ST_YMax(p.geom_display)) END AS bbox
                ${withOutline ? ', ST_AsGeoJSON(p.geom_display, 4) AS outline' : ''}
           FROM provinces p WHERE EXISTS (SELECT 1 FROM communes c WHERE c.province_code = p.code) ORDER BY p.code`,
      );
      return rows;
    },
  };
}
