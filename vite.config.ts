import { defineConfig } from 'vitest/config';

// One file configures the client build (Vite) and the tests (Vitest).
export default defineConfig({
  root: 'client',
  publicDir: false,
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: true,
  },
  server: { proxy: { '/api': 'http://localhost:8080' } },
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
