import { access, cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const WEB_DIST_DIR = fileURLToPath(new URL("../../apps/web/dist/", import.meta.url));

/** Where the snapshot of the built web app lives during the run (read by support/server.ts). */
export const WEB_SNAPSHOT_ENV = "E2E_WEB_DIST_DIR";

/**
 * Serves a private copy of apps/web/dist: a rebuild of the web app while the suite runs (turbo
 * in another terminal, a colleague) must not swap the app, or delete its service worker,
 * under a running test.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  for (const file of ["index.html", "sw.js"]) {
    await access(join(WEB_DIST_DIR, file)).catch((cause: unknown) => {
      throw new Error(`${WEB_DIST_DIR}${file} is missing: run \`pnpm --filter @sync/web build\``, {
        cause,
      });
    });
  }
  const snapshot = await mkdtemp(join(tmpdir(), "sync-e2e-web-"));
  await cp(WEB_DIST_DIR, snapshot, { recursive: true });
  process.env[WEB_SNAPSHOT_ENV] = snapshot;
  return () => rm(snapshot, { recursive: true, force: true });
}
