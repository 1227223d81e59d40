import { existsSync } from "node:fs";
import { chromium, type LaunchOptions } from "@playwright/test";

/**
 * Which Chromium runs the suite. Playwright's own build when it is installed; otherwise the
 * system one (Debian's `chromium`, or CHROMIUM_PATH). Browsers are never downloaded here.
 */
function systemChromium(): string {
  return process.env.CHROMIUM_PATH ?? process.env.PLAYWRIGHT_CHROMIUM ?? "/usr/bin/chromium";
}

function bundledChromium(): string | null {
  try {
    const path = chromium.executablePath();
    return existsSync(path) ? path : null;
  } catch {
    // executablePath() throws when the registry has no entry for this platform.
    return null;
  }
}

/** Flags that keep a system Chromium quiet and deterministic in a container. */
const SYSTEM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
] as const;

/** Launch options shared by the config and by specs that launch a persistent context themselves. */
export const launchOptions: LaunchOptions = (() => {
  const bundled = bundledChromium();
  if (bundled) return {};
  return { executablePath: systemChromium(), args: [...SYSTEM_ARGS] };
})();

/** The Chromium `launchOptions` starts, or undefined when neither build is installed. */
export function chromiumExecutable(): string | undefined {
  const path = launchOptions.executablePath ?? bundledChromium();
  return path && existsSync(path) ? path : undefined;
}
