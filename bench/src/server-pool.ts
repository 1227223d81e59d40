import { startTestServer, type TestServer } from "@sync/server/testing";
import type { Size } from "./types.js";

let shared: Promise<TestServer> | undefined;

/**
 * A real server for one benchmark. Full runs get a fresh server and database each, so no run
 * pays for another's rows; quick runs share one, because starting embedded Postgres (PGlite)
 * can take longer on a busy machine than all quick benchmarks together.
 */
export async function withServer<T>(
  size: Size,
  fn: (server: TestServer) => Promise<T>,
): Promise<T> {
  if (size === "quick") {
    shared ??= startTestServer();
    return fn(await shared);
  }
  const server = await startTestServer();
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

/** Closes the quick runs' shared server (and drops its database); safe to call when none is open. */
export async function closeSharedServer(): Promise<void> {
  const current = shared;
  shared = undefined;
  if (current) await (await current).close();
}
