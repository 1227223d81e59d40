import { createNodeId, HybridClock } from "@sync/clock";
import {
  type Operation,
  PROTOCOL_VERSION,
  type PullResponse,
  type PushResponse,
} from "@sync/protocol";
import { v7 as uuidv7 } from "uuid";
import { createApp, type ServerApp } from "../app.js";
import type { ServerConfig } from "../config.js";
import { createMemoryNotifier } from "../notifier/memory-notifier.js";
import type { Notifier } from "../notifier/notifier.js";
import type { PushHooks } from "../sync/apply-push.js";
import { TEST_PASSWORD, testConfig } from "./start-test-server.js";
import { type Backend, createTestDatabase, type TestDatabase } from "./test-database.js";

export interface HarnessOptions {
  readonly config?: Partial<ServerConfig>;
  readonly hooks?: PushHooks;
  /** Wraps the in-process notifier (e.g. to lose or reorder announcements). */
  readonly notifier?: (inner: Notifier) => Notifier;
}

/** One database per test file and backend; `reset()` before each test gives a clean state. */
export interface Harness {
  readonly backend: Backend;
  readonly testDb: TestDatabase;
  server: ServerApp;
  notifier: Notifier;
  reset(options?: HarnessOptions): Promise<void>;
  request(path: string, init?: RequestInit): Promise<Response>;
  signup(username?: string): Promise<TestClient>;
  close(): Promise<void>;
}

export async function createHarness(backend: Backend): Promise<Harness> {
  const testDb = await createTestDatabase(backend);
  const build = (options: HarnessOptions = {}) => {
    const memory = createMemoryNotifier();
    const notifier = options.notifier ? options.notifier(memory) : memory;
    const server = createApp({
      db: testDb.database.db,
      notifier,
      config: testConfig({ webDistDir: "/nonexistent", ...options.config }),
      ...(options.hooks ? { hooks: options.hooks } : {}),
    });
    return { notifier, server };
  };
  let names = 0;
  const harness: Harness = {
    backend,
    testDb,
    ...build(),
    async reset(options) {
      await harness.server.close();
      await testDb.reset();
      Object.assign(harness, build(options));
    },
    request: async (path, init) => harness.server.app.request(path, init),
    async signup(username) {
      const name = username ?? `user${++names}`;
      const res = await harness.request("/api/auth/signup", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: name, password: TEST_PASSWORD }),
      });
      if (res.status !== 201) throw new Error(`signup ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as { token: string; user: { id: string } };
      return new TestClient((p, i) => harness.request(p, i), body.token, body.user.id, name);
    },
    async close() {
      await harness.server.close();
      await testDb.close();
    },
  };
  return harness;
}

type Fetch = (path: string, init?: RequestInit) => Promise<Response>;

/** A sync client speaking HTTP: builds operations with its own clock and seq counter. */
export class TestClient {
  readonly fetch: Fetch;
  readonly token: string;
  readonly userId: string;
  readonly username: string;
  clientId = uuidv7();
  seq = 0;
  readonly clock = new HybridClock({ node: createNodeId() });

  constructor(fetch: Fetch, token: string, userId: string, username: string) {
    this.fetch = fetch;
    this.token = token;
    this.userId = userId;
    this.username = username;
  }

  get auth(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }

  op(partial: Pick<Operation, "entity" | "id" | "kind"> & Partial<Operation>): Operation {
    return {
      opId: uuidv7(),
      clientId: this.clientId,
      seq: ++this.seq,
      fields: {},
      hlc: this.clock.now(),
      ...partial,
    };
  }

  createList(title = "Groceries", id = uuidv7()): Operation {
    return this.op({ entity: "list", id, kind: "create", fields: { title } });
  }

  createItem(listId: string, text = "milk", id = uuidv7()): Operation {
    return this.op({ entity: "item", id, kind: "create", fields: { listId, text } });
  }

  async pushRaw(ops: Operation[], extra: Record<string, unknown> = {}): Promise<Response> {
    return this.fetch("/api/sync/push", {
      method: "POST",
      headers: { ...this.auth, "content-type": "application/json" },
      body: JSON.stringify({
        protocolVersion: PROTOCOL_VERSION,
        clientId: this.clientId,
        ops,
        ...extra,
      }),
    });
  }

  async push(...ops: Operation[]): Promise<PushResponse> {
    const res = await this.pushRaw(ops);
    if (res.status !== 200) throw new Error(`push ${res.status}: ${await res.text()}`);
    return (await res.json()) as PushResponse;
  }

  async pull(cursor = 0, limit?: number): Promise<PullResponse> {
    const query = `cursor=${cursor}${limit === undefined ? "" : `&limit=${limit}`}`;
    const res = await this.fetch(`/api/sync/pull?${query}`, { headers: this.auth });
    if (res.status !== 200) throw new Error(`pull ${res.status}: ${await res.text()}`);
    return (await res.json()) as PullResponse;
  }

  /** Pulls every page from `cursor`; returns all rows and the final cursor. */
  async pullAll(cursor = 0, limit?: number): Promise<PullResponse> {
    let page = await this.pull(cursor, limit);
    const rows = [...page.rows];
    while (page.hasMore) {
      page = await this.pull(page.cursor, limit);
      rows.push(...page.rows);
    }
    return { ...page, rows };
  }

  async join(code: string): Promise<Response> {
    return this.fetch("/api/lists/join", {
      method: "POST",
      headers: { ...this.auth, "content-type": "application/json" },
      body: JSON.stringify({ code }),
    });
  }

  async leave(listId: string): Promise<Response> {
    return this.fetch(`/api/lists/${listId}/leave`, { method: "POST", headers: this.auth });
  }
}
