/**
 * Runs inside Chromium (bundled by browser/bundle.ts): our sync client with a tiny renderer
 * and 100 live queries, and raw IndexedDB puts, in the same page. Exposes `window.bench`.
 */
import { shoppingSchema } from "@sync/entities";
import { alwaysLeader, createSyncClient } from "@sync/sync-client";

export interface WriteTimings {
  /** mutate() call until its promise resolved (durable locally). */
  readonly durable: number[];
  /** mutate() call until the rendered list showed the new text. */
  readonly visible: number[];
  /** mutate() call until the next animation frame after it was visible and durable. */
  readonly frame: number[];
}

const nextFrame = () =>
  new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now())));

function tx(db: IDBDatabase, record: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = db.transaction("rows", "readwrite");
    t.objectStore("rows").put(record);
    t.oncomplete = () => resolve();
    t.onerror = () => reject(t.error);
  });
}

async function runOurs(
  records: number,
  writes: number,
  liveQueries: number,
): Promise<WriteTimings> {
  const client = createSyncClient({
    baseUrl: "",
    schema: shoppingSchema,
    dbName: `bench-local-write-${Date.now()}`,
    // Local writes only: nothing is pushed, so the network cannot compete with the writes.
    autoSync: false,
    fetch: () => Promise.reject(new TypeError("offline")),
    eventSource: null,
    channel: null,
    leader: alwaysLeader,
    storageManager: null,
    keyValueStorage: null,
    isOnline: () => false,
  });
  await client.start();
  const root = document.getElementById("items") as HTMLUListElement;
  const nodes = new Map<string, HTMLLIElement>();
  let watch: { id: string; text: string; seen: (at: number) => void } | undefined;
  const render = () => {
    for (const record of client.list("item")) {
      let li = nodes.get(record.id);
      if (!li) {
        li = document.createElement("li");
        nodes.set(record.id, li);
        root.append(li);
      }
      const text = String(record.fields.text);
      if (li.textContent !== text) li.textContent = text;
      if (watch && watch.id === record.id && text === watch.text) {
        watch.seen(performance.now());
        watch = undefined;
      }
    }
  };
  // Live queries of the kind an app keeps: each recomputes on every view change.
  for (let q = 0; q < liveQueries; q++) {
    client.subscribe(() => void client.list("item", (r) => r.fields.qty !== q));
  }
  client.subscribe(render);
  const listId = await client.create("list", { title: "Local writes" });
  const ids: string[] = [];
  for (let i = 0; i < records; i++)
    ids.push(await client.create("item", { listId, text: `item ${i}` }));
  render();
  const timings: WriteTimings = { durable: [], visible: [], frame: [] };
  for (let i = 0; i < writes; i++) {
    const id = ids[i % ids.length] as string;
    const text = `write ${i}`;
    let visibleAt = 0;
    const visible = new Promise<void>((resolve) => {
      const seen = (at: number) => {
        visibleAt = at;
        resolve();
      };
      watch = { id, text, seen };
    });
    const start = performance.now();
    await client.update("item", id, { text });
    const durableAt = performance.now();
    await visible;
    const frameAt = await nextFrame();
    timings.durable.push(durableAt - start);
    timings.visible.push(visibleAt - start);
    timings.frame.push(frameAt - start);
  }
  await client.stop();
  return timings;
}

async function runRaw(records: number, writes: number): Promise<number[]> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open(`bench-raw-${Date.now()}`, 1);
    open.onupgradeneeded = () =>
      open.result.createObjectStore("rows", { keyPath: ["entity", "id"] });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const base = (i: number) => ({
    entity: "item",
    id: `00000000-0000-7000-8000-${String(i).padStart(12, "0")}`,
  });
  for (let i = 0; i < records; i++) await tx(db, { ...base(i), fields: { text: `item ${i}` } });
  const times: number[] = [];
  for (let i = 0; i < writes; i++) {
    const start = performance.now();
    await tx(db, { ...base(i % records), fields: { text: `write ${i}` } });
    times.push(performance.now() - start);
  }
  db.close();
  return times;
}

declare global {
  interface Window {
    bench: { runOurs: typeof runOurs; runRaw: typeof runRaw };
  }
}
window.bench = { runOurs, runRaw };
