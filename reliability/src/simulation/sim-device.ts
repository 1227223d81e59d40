// The idb library checks instanceof IDBRequest etc. on globals; each device still gets its own factory.
import "fake-indexeddb/auto";
import { shoppingSchema } from "@sync/entities";
import type { TestSession } from "@sync/server/testing";
import {
  alwaysLeader,
  createSyncClient,
  fetchEventSource,
  type SyncClient,
} from "@sync/sync-client";
import { IDBFactory } from "fake-indexeddb";
import { FaultyNetwork, SIM_ORIGIN, type Upstream } from "../support/faulty-network.js";
import { waitFor } from "../support/wait-for.js";

export interface DeviceOptions {
  readonly index: number;
  readonly session: TestSession;
  readonly upstream: Upstream;
  readonly skewMs: number;
  readonly stream: boolean;
  readonly batchSize: number;
  /** Seeded jitter source for backoff and ids' node part. */
  readonly random: () => number;
  readonly backoff?: { baseMs: number; maxMs: number };
  readonly pollIntervalMs?: number;
}

/**
 * One simulated device: its own fake IndexedDB (survives reloads and kills), its own network
 * and wall clock. `client` is the current engine; reload and kill replace it.
 */
export class SimDevice {
  readonly index: number;
  readonly session: TestSession;
  readonly net: FaultyNetwork;
  readonly idb = new IDBFactory();
  readonly dbName: string;
  skewMs: number;
  client: SyncClient;
  engines = 0;
  readonly #options: DeviceOptions;

  constructor(options: DeviceOptions) {
    this.#options = options;
    this.index = options.index;
    this.session = options.session;
    this.skewMs = options.skewMs;
    this.net = new FaultyNetwork(options.upstream);
    this.dbName = `sim-${options.session.userId}-${options.index}`;
    this.client = this.#build();
  }

  now = (): number => Date.now() + this.skewMs;

  #build(): SyncClient {
    this.engines++;
    const headers = () => ({ authorization: `Bearer ${this.session.token}` });
    return createSyncClient({
      baseUrl: SIM_ORIGIN,
      schema: shoppingSchema,
      dbName: this.dbName,
      fetch: this.net.fetch,
      headers,
      indexedDB: this.idb,
      leader: alwaysLeader,
      channel: null,
      eventSource: this.#options.stream ? fetchEventSource(this.net.streamFetch, headers) : null,
      now: this.now,
      random: this.#options.random,
      pushBatchSize: this.#options.batchSize,
      // Short backoff keeps a schedule fast; the cap is what the crash suite measures against.
      backoff: this.#options.backoff ?? { baseMs: 5, maxMs: 100 },
      pollIntervalMs: this.#options.pollIntervalMs ?? 200,
      storageManager: null,
      keyValueStorage: null,
    });
  }

  async start(): Promise<void> {
    await this.client.start();
    await waitFor(() => this.client.getStatus().leader, `device ${this.index} leadership`);
  }

  /** A new engine over the same IndexedDB database, as after a page reload. */
  async reload(): Promise<void> {
    await this.client.stop();
    this.client = this.#build();
    await this.start();
  }

  /**
   * Killed mid-push: starts a push, and once it is on the wire, cuts the engine off so the
   * answer never reaches it (the server may well have committed), then reopens the database.
   */
  async kill(): Promise<void> {
    const old = this.client;
    const sync = old.syncNow().catch(() => undefined);
    await waitFor(
      () => this.net.inFlightPushes > 0 || old.getStatus().pendingCount === 0 || this.net.offline,
      "a push in flight",
      5_000,
    ).catch(() => undefined);
    this.net.kill();
    await old.stop();
    void sync;
    this.client = this.#build();
    await this.start();
  }

  async close(): Promise<void> {
    await this.client.stop();
  }
}
