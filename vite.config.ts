import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const page = (file: string) => fileURLToPath(new URL(`./client/${file}`, import.meta.url));
// `npm run dev`-style work: the Vite dev server in front of a running API (npm start).
const apiTarget = process.env.PHUSONG_API ?? 'http://localhost:8080';

// One file configures the client build (Vite) and the tests (Vitest).
export default defineConfig({
  root: 'client',
  publicDir: false,
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
    // Database suites each open an embedded PostGIS (about 1 GB, 10 s to create): two cores, so
    // run test files one after another rather than thrash.
    fileParallelism: false,
  },
});
