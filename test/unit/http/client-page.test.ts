// The map page as the server sends it: with one province the built file as it is (the default
// Phú Thọ start is unchanged), with several the country's scope and its own preloads.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderIndexHtml } from '../../../server/http/client-page';
import { loadConfig } from '../../../server/config';

const page = fs.readFileSync(path.resolve('client/index.html'), 'utf8');
const config = loadConfig({});

describe('the map page for the data held', () => {
  it('is the built page as it is for one province', () => {
    expect(renderIndexHtml(page, config, '25')).toBe(page);
  });

  it('opens on the country for several provinces: the provinces preloaded instead of every commune', () => {
    const html = renderIndexHtml(page, config, null);
    expect(html).toContain('<meta name="phusong-scope" content="country" />');
    expect(html).toContain('<link rel="preload" href="/api/provinces?format=geojson" as="fetch" crossorigin="anonymous" />');
    expect(html).not.toMatch(/rel="preload" href="\/api\/(communes|coverage)/);
    expect(html).toContain('<link rel="icon"');
  });
});
