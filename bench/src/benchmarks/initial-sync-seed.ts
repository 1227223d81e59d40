import { HybridClock } from "@sync/clock";
import { shoppingSchema } from "@sync/entities";
import { type AppDeps, createApp } from "@sync/server";
import { createTestDatabase, type TestDatabase, testConfig } from "@sync/server/testing";
import { createApiClient } from "../http-client.js";
import { chunk, createOpFactory } from "../op-factory.js";
import { type FetchApp, type ServedApp, serveApp } from "../serve-app.js";
import { withServer } from "../server-pool.js";
import type { Size } from "../types.js";

export interface SeededServer {
  readonly url: string;
  /** What serves the API: the app itself when this benchmark built it, else the server's URL. */
  readonly api: FetchApp | string;
  readonly token: string;
  readonly backend: "postgres" | "pglite";
  close(): Promise<void>;
}

/**
 * A server whose database this benchmark owns, so 100,000 rows can be inserted in one SQL
 * statement (pushing them would take far longer than syncing them). With PGlite the rows
 * go through push instead, which is fine at quick sizes.
 */
export async function seedServer(rows: number, size: Size): Promise<SeededServer> {
  // Quick runs without Postgres reuse the shared server: starting another PGlite costs more than the run.
  if (size === "quick" && !process.env.DATABASE_URL) {
    return withServer(size, async (shared) => {
      const session = await shared.signup();
      const api = createApiClient(shared.url, session.token);
      for (const part of chunk(createOpFactory().listWithItems(rows - 1).ops, 500))
        await api.push(part);
      return {
        url: shared.url,
        api: shared.url,
        token: session.token,
        backend: "pglite",
        close: async () => {},
      };
    });
  }
  const backend = process.env.DATABASE_URL ? "postgres" : "pglite";
  const testDb: TestDatabase = await createTestDatabase(backend);
  // Pull needs no pokes; a minimal in-process notifier satisfies the app.
  type Listener = Parameters<AppDeps["notifier"]["subscribe"]>[0];
  const listeners = new Set<Listener>();
  const server = createApp({
    db: testDb.database.db,
    config: testConfig(),
    schema: shoppingSchema,
    notifier: {
      publish: async (event) => {
        for (const listener of listeners) listener(event);
      },
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      close: async () => listeners.clear(),
    },
  });
  let served: ServedApp | undefined;
  try {
    served = await serveApp(server.app);
    const signup = await fetch(`${served.url}/api/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        username: `bench_${Date.now().toString(36)}`,
        password: "correct-horse-1",
      }),
    });
    const session = (await signup.json()) as { token: string; user: { id: string } };
    if (!signup.ok) throw new Error(`signup answered ${signup.status}: ${JSON.stringify(session)}`);
    const api = createApiClient(served.url, session.token);
    const factory = createOpFactory();
    const sql = testDb.database.sql;
    if (sql) {
      const { listId, ops } = factory.listWithItems(0);
      await api.push(ops);
      const hlc = new HybridClock({ node: "seed0000000" }).now();
      await sql`
        insert into items (id, clocks, deleted, version, list_id, text, checked, qty, created_by, created_at)
        select gen_random_uuid(), ${JSON.stringify({ text: hlc, checked: hlc })}::jsonb, false, nextval('change_version_seq'),
               ${listId}, 'item ' || g || ' of the shopping list', false, 1, ${session.user.id}, ${Date.now()}
        from generate_series(1, ${rows - 1}) g`;
    } else {
      for (const part of chunk(factory.listWithItems(rows - 1).ops, 500)) await api.push(part);
    }
    const url = served.url;
    const close = served.close;
    // Fresh statistics, as autovacuum would have them within a minute of the load (the pull
    // no longer depends on them, sync/pull-query.ts; the raw pull and ours then see the same).
    if (sql) await sql`analyze`;
    return {
      url,
      api: server.app,
      token: session.token,
      backend,
      async close() {
        await close();
        await server.close();
        await testDb.close();
      },
    };
  } catch (error) {
    await served?.close();
    await server.close();
    await testDb.close();
    throw error;
  }
}
