import { defineConfig } from "@playwright/test";
import { launchOptions } from "./support/browser.js";

const CI = !!process.env.CI;

/**
 * The stack under test is started by the `server` worker fixture (fixtures/test.ts), not by
 * `webServer`: scenario 12 restarts the server process mid-test, on the same port and database.
 * Each worker gets its own server and fresh database, so workers never share state.
 */
export default defineConfig({
  testDir: "specs",
  globalSetup: "./support/global-setup.ts",
  outputDir: "test-results",
  forbidOnly: CI,
  retries: CI ? 1 : 0,
  workers: 2,
  fullyParallel: true,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    headless: true,
    launchOptions,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    actionTimeout: 10_000,
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
});
