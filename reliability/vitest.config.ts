import { defineConfig } from "vitest/config";

// Load runs only through `pnpm load` (LOAD=1): it holds 500 streams open for a minute.
const load = process.env.LOAD === "1";

export default defineConfig({
  test: {
    include: load ? ["src/load/**/*.load.ts"] : ["src/**/*.test.ts"],
    hookTimeout: 60_000,
    testTimeout: 120_000,
    // Two cores shared with other engineers: two files at a time.
    maxWorkers: 2,
  },
});
