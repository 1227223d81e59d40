import { createServer } from "node:http";
import { type Browser, chromium } from "@playwright/test";
import { chromiumExecutable, launchOptions } from "@sync/e2e/browser";

/** The same Chromium as the e2e suite: Playwright's own build, else the system one. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ ...launchOptions, headless: true });
}

/** Why a browser benchmark cannot run here, or undefined when it can. */
export function missingChromium(): string | undefined {
  return chromiumExecutable()
    ? undefined
    : "skipped (no Chromium: neither Playwright's own nor CHROMIUM_PATH / /usr/bin/chromium)";
}

/** Serves one page and its script on loopback: IndexedDB needs a real origin. */
export async function servePage(
  script: string,
): Promise<{ url: string; close: () => Promise<void> }> {
  const html =
    '<!doctype html><meta charset="utf-8"><title>bench</title><ul id="items"></ul><script type="module" src="/bench.js"></script>';
  // Cross-origin isolation lifts the coarsening of performance.now() (100 us otherwise), which
  // is a tenth of the durations measured here.
  const isolated = {
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-embedder-policy": "require-corp",
  };
  const server = createServer((req, res) => {
    if (req.url === "/bench.js") {
      res.writeHead(200, { ...isolated, "content-type": "text/javascript" }).end(script);
    } else if (req.url === "/") {
      res.writeHead(200, { ...isolated, "content-type": "text/html" }).end(html);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
