import { playwright } from "@vitest/browser-playwright";
import { defineConfig } from "vitest/config";
import { launchOptions } from "./support/browser.js";

/**
 * The storage adapters' contract suites in a real browser (vitest browser mode): the same
 * Chromium the Playwright suites launch, its own IndexedDB, no fake.
 */
export default defineConfig({
  test: {
    include: ["storage/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({ launchOptions }),
      instances: [{ browser: "chromium" }],
    },
  },
});
