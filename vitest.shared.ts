import { defineConfig } from "vitest/config";

/**
 * Defaults every package's vitest config starts from. Property tests and tests against a real
 * server do real work; on a 2-core CI machine running several packages at once the 5 s default
 * times out work that is merely slow, so timeouts are generous and failures stay about behaviour.
 */
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
