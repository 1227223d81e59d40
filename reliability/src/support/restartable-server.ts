import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createApp, type ServerApp } from "@sync/server";
import {
  type Backend,
  createMemoryNotifier,
  createTestDatabase,
  TEST_PASSWORD,
  type TestDatabase,
  type TestSession,
  testConfig,
} from "@sync/server/testing";

type Config = Parameters<typeof testConfig>[0];

/**
 * The real server over HTTP whose process state can be thrown away while the database stays:
 * `restart()` closes the app (in-flight pushes finish, streams end) and the listener, then builds
 * a new app (new HLC node, empty rate limiter, no streams) on a new port over the same database.
 * startTestServer cannot reopen a database, so this assembles the same parts itself.
 */
export interface RestartableServer {
  readonly backend: Backend;
  readonly testDb: TestDatabase;
  /** Current base URL; undefined while down. */
  readonly url: string | undefined;
  readonly restarts: number;
  signup(username?: string): Promise<TestSession>;
  stop(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Empties every table (between schedules); the server keeps running. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

interface Running {
  app: ServerApp;
  notifier: ReturnType<typeof createMemoryNotifier>;
  url: string;
  close(): Promise<void>;
}

let names = 0;

export async function startRestartableServer(
  options: { backend?: Backend; config?: Config } = {},
): Promise<RestartableServer> {
  const backend = options.backend ?? (process.env.DATABASE_URL ? "postgres" : "pglite");
  const testDb = await createTestDatabase(backend);
  const config = testConfig({ webDistDir: "/nonexistent", ...options.config });
  let running: Running | undefined;
  let restarts = 0;

  const boot = async (): Promise<Running> => {
    const notifier = createMemoryNotifier();
    const app = createApp({ db: testDb.database.db, notifier, config });
    const http = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve({ fetch: app.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
      s.once("error", reject);
    });
    const port = (http.address() as AddressInfo).port;
    return {
      app,
      notifier,
      url: `http://127.0.0.1:${port}`,
      async close() {
        const closed = new Promise<void>((done, fail) =>
          http.close((error) => (error ? fail(error) : done())),
        );
        if ("closeIdleConnections" in http) http.closeIdleConnections();
        await app.close();
        if ("closeAllConnections" in http) http.closeAllConnections();
        await closed;
        await notifier.close();
      },
    };
  };

  running = await boot();
  const server: RestartableServer = {
    backend,
    testDb,
    get url() {
      return running?.url;
    },
    get restarts() {
      return restarts;
    },
    async signup(username) {
      const url = running?.url;
      if (!url) throw new Error("server is down");
      const name =
        username ?? `u${process.pid}_${++names}_${Math.random().toString(36).slice(2, 7)}`;
      const res = await fetch(`${url}/api/auth/signup`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: name, password: TEST_PASSWORD }),
      });
      if (res.status !== 201) throw new Error(`signup ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as { token: string; user: { id: string; username: string } };
      return { token: body.token, userId: body.user.id, username: body.user.username };
    },
    async stop() {
      const r = running;
      running = undefined;
      await r?.close();
    },
    async start() {
      if (!running) running = await boot();
    },
    async restart() {
      await server.stop();
      restarts++;
      await server.start();
    },
    async reset() {
      await server.stop();
      await testDb.reset();
      await server.start();
    },
    async close() {
      await server.stop();
      await testDb.close();
    },
  };
  return server;
}
