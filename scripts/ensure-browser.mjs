#!/usr/bin/env node
// Before the e2e suite: make sure a Chromium is there. Playwright's own build or the system's
// (Debian's /usr/bin/chromium, or CHROMIUM_PATH) is used as found; only when neither exists is
// Playwright's build downloaded, as on a fresh laptop.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const root = join(dirname(new URL(import.meta.url).pathname), "..");
const require = createRequire(join(root, "e2e", "package.json"));
const { chromium } = require("@playwright/test");

function bundled() {
  try {
    return existsSync(chromium.executablePath());
  } catch {
    return false;
  }
}

const system = process.env.CHROMIUM_PATH ?? process.env.PLAYWRIGHT_CHROMIUM ?? "/usr/bin/chromium";
if (bundled() || existsSync(system)) {
  console.log(`e2e browser: ${bundled() ? "Playwright's Chromium" : system}`);
} else {
  console.log("e2e browser: none found, installing Playwright's Chromium");
  execFileSync("pnpm", ["--filter", "@sync/e2e", "exec", "playwright", "install", "chromium"], {
    cwd: root,
    stdio: "inherit",
  });
}
