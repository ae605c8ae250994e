import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

const page = (file: string) => fileURLToPath(new URL(`./client/${file}`, import.meta.url));
// `npm run dev`-style work: the Vite dev server in front of a running API (npm start).
const apiTarget = process.env.PHUSONG_API ?? 'http://localhost:8080';

/**
 * The map page imports its MapLibre chunk (client/app/atlas.ts) only once the static first frame
 * is drawn, so evaluating a megabyte of script does not hold that frame back; a modulepreload
 * link in the page lets the browser download and compile the chunk from the start meanwhile.
 * (Vite preloads a dynamic import's dependencies, not the chunk itself.)
 */
function preloadAtlasChunk(): Plugin {
  return {
    name: 'phusong:preload-atlas-chunk',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        if (!ctx.bundle || path.basename(ctx.filename) !== 'index.html') return [];
        const chunk = Object.values(ctx.bundle).find((c) => c.type === 'chunk' && c.facadeModuleId === page('app/atlas.ts'));
        if (!chunk) throw new Error('preload-atlas-chunk: no chunk for client/app/atlas.ts in the bundle');
        return [{ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${chunk.fileName}` }, injectTo: 'head' }];
      },
    },
  };
}

// One file configures the client build (Vite) and the tests (Vitest).
export default defineConfig({
  root: 'client',
  publicDir: false,
  plugins: [preloadAtlasChunk()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // The printed sizes include gzip: the bundle size the README and the e2e report quote.
    reportCompressedSize: true,
    // Two pages: the map, and the operator's upload screen (which never loads MapLibre).
    rollupOptions: { input: { index: page('index.html'), upload: page('upload.html') } },
  },
  server: { proxy: { '/api': apiTarget, '/tiles': apiTarget } },
  test: {
    root: '.',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Two test files at a time: most of a file's time is spent waiting (for a server process, the
    // PostgreSQL server, a browser), so two of them share the two cores well; more would thrash, each
    // embedded PostGIS being large (test/bench/README.md, "Memory of the embedded engine"). The
    // shared pieces are built race-free: the database templates (test/helpers/db.ts) and the client
    // (test/e2e/support/server-process.ts).
    fileParallelism: true,
    maxWorkers: 2,
  },
});
