// The diverging scale of the choropleth: neutral at the target's threshold, warm below it, cool
// above it (ColorBrewer RdBu, readable with the common colour-vision deficiencies). The legend
// draws the same stops.
import type { ExpressionSpecification } from 'maplibre-gl';

export const SCALE = {
  low: '#b2182b',
  lowMid: '#ef8a62',
  mid: '#f7f7f7',
  highMid: '#67a9cf',
  high: '#2166ac',
} as const;
export const NO_DATA_COLOUR = '#b8bec6';
/** Outline of communes that miss the target. */
export const MISS_OUTLINE_COLOUR = '#67000d';

/** [value, colour] pairs, strictly increasing in value, for a threshold in points (0–100). */
export function colourStops(threshold: number): Array<[number, string]> {
  const t = Math.min(100, Math.max(0, threshold));
  const stops: Array<[number, string]> = [];
  const add = (v: number, c: string): void => {
    if (stops.length === 0 || v > stops[stops.length - 1][0]) stops.push([v, c]);
  };
  if (t > 0) {
    add(0, SCALE.low);
    add(t / 2, SCALE.lowMid);
  }
  add(t, SCALE.mid);
  if (t < 100) {
    add(t + (100 - t) / 2, SCALE.highMid);
    add(100, SCALE.high);
  }
  return stops;
}

/** Colour of a value for the threshold, as MapLibre draws it (linear in RGB between stops). */
export function colourAt(value: number, threshold: number): string {
  const stops = colourStops(threshold);
  if (value <= stops[0][0]) return stops[0][1];
  for (let i = 1; i < stops.length; i++) {
    const [v1, c1] = stops[i];
    const [v0, c0] = stops[i - 1];
    if (value <= v1) return mix(c0, c1, (value - v0) / (v1 - v0));
  }
  return stops[stops.length - 1][1];
}

function mix(a: string, b: string, k: number): string {
  const pa = [1, 3, 5].map((i) => parseInt(a.slice(i, i + 2), 16));
  const pb = [1, 3, 5].map((i) => parseInt(b.slice(i, i + 2), 16));
  return `#${pa.map((x, i) => Math.round(x + (pb[i] - x) * k).toString(16).padStart(2, '0')).join('')}`;
}

/** fill-color reading the commune's `value` feature-state (points), grey when it has none. */
export function fillColourExpression(threshold: number): ExpressionSpecification {
  const value: ExpressionSpecification = ['feature-state', 'value'];
  const stops = colourStops(threshold).flat();
  const ramp = ['interpolate', ['linear'], ['to-number', value, 0], ...stops] as ExpressionSpecification;
  return ['case', ['==', ['typeof', value], 'number'], ramp, NO_DATA_COLOUR];
}

/** CSS gradient of the scale from 0 to 100 %, for the legend bar. */
export function cssGradient(threshold: number): string {
  return `linear-gradient(to right, ${colourStops(threshold).map(([v, c]) => `${c} ${v}%`).join(', ')})`;
}
