// Where the map opens: the whole province, or the commune a shared link names. The static first
// frame and MapLibre both open at this camera, for the map's container as it is at the time.
import type { CommunesGeoJson } from '../../server/contract/answers';
import { bboxOf, type Bbox } from '../map/bbox';
import { fitCamera, type Camera, type Padding, type Size } from '../map/camera';

const FIT_PADDING_PX = 32;
/** A commune is shown whole, but never closer than this (the smallest wards are a few streets). */
export const COMMUNE_MAX_ZOOM = 13;

/** Room around a fitted view: clear of the zoom buttons, and of the legend where it stands open on the map's right. */
export function fitPadding(): Padding {
  const legend = document.getElementById('legend') as HTMLDetailsElement | null;
  const besideLegend = legend?.open && window.matchMedia('(min-width: 900px)').matches ? legend.offsetWidth + 16 : 40;
  return { top: FIT_PADDING_PX, right: FIT_PADDING_PX + besideLegend, bottom: FIT_PADDING_PX, left: FIT_PADDING_PX };
}

/** The province's box, once per collection (the view is asked for again at each resize). */
const provinceBoxes = new WeakMap<CommunesGeoJson, Bbox | null>();

/** The size of the element the map (or its static frame) is drawn in. */
export const sizeOf = (box: HTMLElement): Size => ({ width: box.clientWidth, height: box.clientHeight });

export function openingCamera(communes: CommunesGeoJson, commune: string | null, size: Size): Camera {
  const feature = commune ? communes.features.find((f) => f.properties.code === commune) : undefined;
  if (!provinceBoxes.has(communes)) provinceBoxes.set(communes, bboxOf(communes));
  const box = (feature && bboxOf({ type: 'FeatureCollection', features: [feature] })) || provinceBoxes.get(communes);
  if (!box) return { center: [105.34, 21.01], zoom: 7.5 };
  return fitCamera(box, size, fitPadding(), feature ? COMMUNE_MAX_ZOOM : 22);
}
