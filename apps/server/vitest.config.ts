import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // One PGlite (2-5 s to start) or Postgres database per file, shared by its tests.
    hookTimeout: 60_000,
    testTimeout: 30_000,
    // Two cores shared with other engineers: two files at a time. Files share their worker's
    // module graph (no isolation needed: no mocks, no globals), so PGlite's WASM compiles once
    // per worker instead of once per file.
    maxWorkers: 2,
    isolate: false,
  },
});
