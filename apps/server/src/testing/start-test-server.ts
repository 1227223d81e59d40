import { createApp } from "../app.js";
import { makeConfig, type ServerConfig } from "../config.js";
import { testDatabaseUrl } from "../env.js";
import { createMemoryNotifier } from "../notifier/memory-notifier.js";
import { startHttpServer } from "../serve.js";
import { type Backend, createTestDatabase } from "./test-database.js";

export interface TestServerOptions {
  /** Default: "postgres" when DATABASE_URL is set, else "pglite". */
  backend?: Backend;
  config?: Partial<ServerConfig>;
}

export interface TestSession {
  token: string;
  userId: string;
  username: string;
}

export interface TestServer {
  /** Base URL, e.g. http://127.0.0.1:54321 (no trailing slash). */
  url: string;
  app: ReturnType<typeof createApp>["app"];
  close(): Promise<void>;
  /** Signs up a user (random name by default, password "correct-horse-1") over HTTP. */
  signup(username?: string): Promise<TestSession>;
  /** Runs tombstone GC now with the configured retention. */
  runGc(): Promise<void>;
}

export const TEST_PASSWORD = "correct-horse-1";

/** Configuration tests want: cheap scrypt, no timers, quiet logs, random port. */
export function testConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return makeConfig({
    port: 0,
    host: "127.0.0.1",
    scryptCost: 1024,
    gcIntervalMs: 0,
    logLevel: "silent",
    ...overrides,
  });
}

let counter = 0;

/**
 * A real server on 127.0.0.1 with a random port, a fresh database (PGlite in memory, or a new
 * Postgres database on DATABASE_URL, dropped by close()) and the in-process notifier.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const backend = options.backend ?? (testDatabaseUrl() ? "postgres" : "pglite");
  const testDb = await createTestDatabase(backend);
  const config = testConfig(options.config);
  const notifier = createMemoryNotifier();
  const server = createApp({ db: testDb.database.db, notifier, config });
  const http = await startHttpServer(server.app, { port: config.port, host: config.host });
  const url = `http://127.0.0.1:${http.port}`;
  return {
    url,
    app: server.app,
    async close() {
      const closed = http.close();
      await server.close();
      await closed;
      await notifier.close();
      await testDb.close();
    },
    async signup(username?: string) {
      const name =
        username ?? `user_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
      const res = await fetch(`${url}/api/auth/signup`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: name, password: TEST_PASSWORD }),
      });
      if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { token: string; user: { id: string; username: string } };
      return { token: body.token, userId: body.user.id, username: body.user.username };
    },
    async runGc() {
      await server.runGc();
    },
  };
}
