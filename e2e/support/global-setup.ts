import { access, cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchServer } from "./server.js";
import { SHARED_ENV } from "./shared-env.js";

const WEB_DIST_DIR = fileURLToPath(new URL("../../apps/web/dist/", import.meta.url));

/**
 * 1. Serves a private copy of apps/web/dist: a rebuild of the web app while the suite runs
 *    (turbo in another terminal, a colleague) must not swap the app, or delete its service
 *    worker, under a running test.
 * 2. Starts the one server most tests share, on a fresh database. One process for the run, not
 *    one per worker: starting tsx + PGlite is the slowest step on a small machine. Tests stay
 *    independent because each signs up its own people.
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
  process.env[SHARED_ENV.webDist] = snapshot;

  const server = await launchServer("shared").catch(async (error: unknown) => {
    await rm(snapshot, { recursive: true, force: true });
    throw error;
  });
  process.env[SHARED_ENV.serverUrl] = server.url;
  process.env[SHARED_ENV.serverLog] = server.logFile;
  return async () => {
    await server.dispose();
    await rm(snapshot, { recursive: true, force: true });
  };
}
