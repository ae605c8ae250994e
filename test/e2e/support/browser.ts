// Debian's chromium driven by playwright-core: no browser download, and this machine is offline.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // WebGL through SwiftShader: MapLibre needs it and there is no GPU.
  '--use-angle=swiftshader',
];

export const hasChromium = (): boolean => existsSync(CHROMIUM_PATH);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export type Rgb = [number, number, number];

export function hexToRgb(hex: string): Rgb {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** The colour a fill of `top` at `alpha` shows over an opaque `bottom`. */
export function blend(top: Rgb, bottom: Rgb, alpha: number): Rgb {
  return top.map((c, i) => Math.round(c * alpha + bottom[i] * (1 - alpha))) as Rgb;
}

/**
 * Share of a PNG's pixels within `tolerance` (per channel, 0–255) of each colour. Decoded by the
 * browser in a blank page of its own, so the app page's requests and CSP stay untouched.
 */
export async function colourShares(context: BrowserContext, png: Buffer, colours: Rgb[], tolerance = 24): Promise<number[]> {
  const scratch = await context.newPage();
  try {
    return await scratch.evaluate(
      async ({ b64, colours, tolerance }) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.width;
        canvas.height = img.height;
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        const { data } = ctx.getImageData(0, 0, img.width, img.height);
        const near = (i: number, [r, g, b]: [number, number, number]): boolean =>
          Math.abs(data[i] - r) <= tolerance && Math.abs(data[i + 1] - g) <= tolerance && Math.abs(data[i + 2] - b) <= tolerance;
        const hits = colours.map(() => 0);
        for (let i = 0; i < data.length; i += 4) colours.forEach((c, k) => near(i, c) && (hits[k] += 1));
        return hits.map((h) => h / (data.length / 4));
      },
      { b64: png.toString('base64'), colours, tolerance },
    );
  } finally {
    await scratch.close();
  }
}
