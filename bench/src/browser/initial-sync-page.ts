/**
 * Runs inside Chromium (bundled by browser/bundle.ts), served from the API's origin: the raw
 * pull of every page, raw bulk puts of those rows into IndexedDB, and our sync client's
 * initial sync, all in the same page. Exposes `window.bench`.
 */
import { shoppingSchema } from "@sync/entities";
import type { PullResponse, Row } from "@sync/protocol";
import { alwaysLeader, createSyncClient } from "@sync/sync-client";

export interface RawPull {
  readonly ms: number;
  readonly bytes: number;
  readonly rows: number;
  readonly pages: number;
}

export interface RawPut {
  readonly ms: number;
  /** Rows in the store afterwards. */
  readonly stored: number;
  /** Longest main-thread task while putting (PerformanceObserver "longtask"), 0 when none. */
  readonly longestTaskMs: number;
}

export interface OursRun {
  /** start() until every row is in the store and the view and the status says synced. */
  readonly ms: number;
  readonly bytes: number;
  /** Rows in the view (lists + items) at the end. */
  readonly inView: number;
  /** Rows in the client's IndexedDB store at the end (counted after the timing). */
  readonly inStore: number;
  /** Main-thread tasks over 50 ms during the run (PerformanceObserver "longtask"). */
  readonly longTasks: number;
  readonly longestTaskMs: number;
  /** Longest gap seen by a 0 ms timer chain: a second, cruder view of the same thing. */
  readonly longestGapMs: number;
}

let pulled: Row[] = [];

/** Long tasks (the browser reports only those over 50 ms) while `work` runs. */
async function watchLongTasks<T>(work: () => Promise<T>): Promise<[T, number[]]> {
  const durations: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) durations.push(entry.duration);
  });
  observer.observe({ type: "longtask", buffered: false });
  try {
    const result = await work();
    // Entries are delivered asynchronously: let the last ones arrive.
    await new Promise((resolve) => setTimeout(resolve, 0));
    for (const entry of observer.takeRecords()) durations.push(entry.duration);
    return [result, durations];
  } finally {
    observer.disconnect();
  }
}

/** A 0 ms timer chain; the longest gap between two of its turns is the longest block. */
function watchGaps(): () => number {
  let last = performance.now();
  let longest = 0;
  let running = true;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setTimeout(tick, 0);
  };
  setTimeout(tick, 0);
  return () => {
    running = false;
    return longest;
  };
}

async function rawPull(token: string, limit: number): Promise<RawPull> {
  const rows: Row[] = [];
  let cursor = 0;
  let bytes = 0;
  let pages = 0;
  const start = performance.now();
  for (;;) {
    const res = await fetch(`/api/sync/pull?cursor=${cursor}&limit=${limit}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = await res.arrayBuffer();
    const text = new TextDecoder().decode(body);
    if (!res.ok) throw new Error(`pull answered ${res.status}: ${text.slice(0, 200)}`);
    bytes += body.byteLength;
    pages++;
    const page = JSON.parse(text) as PullResponse;
    for (const row of page.rows) rows.push(row);
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  const ms = performance.now() - start;
  pulled = rows;
  return { ms, bytes, rows: rows.length, pages };
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openRaw(name: string): Promise<IDBDatabase> {
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => open.result.createObjectStore("rows", { keyPath: ["entity", "id"] });
  return request(open);
}

function putAll(db: IDBDatabase, rows: readonly Row[]): Promise<void> {
  return new Promise((resolve, reject) => {
    // Default durability, as the sync client's transactions use.
    const tx = db.transaction("rows", "readwrite");
    const store = tx.objectStore("rows");
    for (const row of rows) store.put(row);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error("transaction aborted"));
  });
}

/** The pulled rows put in one transaction (`size` 0) or in transactions of `size` rows. */
async function rawPut(size: number): Promise<RawPut> {
  const name = `raw-initial-${size}-${Date.now()}`;
  const db = await openRaw(name);
  const rows = pulled;
  const [ms, tasks] = await watchLongTasks(async () => {
    const start = performance.now();
    if (size === 0) await putAll(db, rows);
    else for (let i = 0; i < rows.length; i += size) await putAll(db, rows.slice(i, i + size));
    return performance.now() - start;
  });
  const stored = await request(db.transaction("rows").objectStore("rows").count());
  db.close();
  await request(indexedDB.deleteDatabase(name));
  return { ms, stored, longestTaskMs: Math.max(0, ...tasks) };
}

function countStore(dbName: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(dbName);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const count = db.transaction("confirmed").objectStore("confirmed").count();
      count.onsuccess = () => {
        db.close();
        resolve(count.result);
      };
      count.onerror = () => reject(count.error);
    };
  });
}

async function runOurs(token: string, expected: number): Promise<OursRun> {
  // The baseline's rows are done with: they must not weigh on our run's garbage collection.
  pulled = [];
  let bytes = 0;
  const dbName = `bench-initial-sync-${Date.now()}`;
  const client = createSyncClient({
    baseUrl: "",
    schema: shoppingSchema,
    dbName,
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      const body = await res.arrayBuffer();
      bytes += body.byteLength;
      return new Response(body, { status: res.status, headers: res.headers });
    },
    headers: () => ({ authorization: `Bearer ${token}` }),
    eventSource: null,
    channel: null,
    leader: alwaysLeader,
    storageManager: null,
    keyValueStorage: null,
    pollIntervalMs: 600_000,
    isOnline: () => true,
  });
  const inView = () => client.list("item").length + client.list("list").length;
  const stopGaps = watchGaps();
  const [ms, tasks] = await watchLongTasks(async () => {
    const start = performance.now();
    const synced = new Promise<void>((resolve) => {
      const check = () => {
        // The cheap test first: the view is only counted once the status says synced.
        if (client.getStatus().state !== "synced" || inView() < expected) return;
        unsubscribe();
        resolve();
      };
      const unsubscribe = client.subscribeStatus(check);
      check();
    });
    await client.start();
    await synced;
    return performance.now() - start;
  });
  const longestGapMs = stopGaps();
  const viewCount = inView();
  await client.stop();
  const inStore = await countStore(dbName);
  return {
    ms,
    bytes,
    inView: viewCount,
    inStore,
    longTasks: tasks.length,
    longestTaskMs: Math.max(0, ...tasks),
    longestGapMs,
  };
}

/** A busy loop: proves the long-task observer reports in this browser. */
async function probeLongTask(): Promise<number> {
  const [, tasks] = await watchLongTasks(async () => {
    await new Promise<void>((resolve) =>
      setTimeout(() => {
        const end = performance.now() + 80;
        while (performance.now() < end) {
          // spin
        }
        resolve();
      }, 0),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
  });
  return Math.max(0, ...tasks);
}

declare global {
  interface Window {
    bench: {
      rawPull: typeof rawPull;
      rawPut: typeof rawPut;
      runOurs: typeof runOurs;
      probeLongTask: typeof probeLongTask;
    };
  }
}
window.bench = { rawPull, rawPut, runOurs, probeLongTask };
