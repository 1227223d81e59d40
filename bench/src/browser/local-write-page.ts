/**
 * Runs inside Chromium (bundled by browser/bundle.ts): our sync client with a tiny renderer
 * and 100 live queries, and raw IndexedDB puts, in the same page, write for write. Exposes
 * `window.localWrite`.
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

/**
 * A frame, then a fresh task: the previous write's DOM change has been painted and the next
 * write starts the way an input event would, not inside a frame's rendering. Both sides wait
 * the same way before each write, so both pay the same IndexedDB wake-up after an idle frame.
 */
function settle(): Promise<void> {
  return new Promise((resolve) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    }),
  );
}

function put(db: IDBDatabase, record: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = db.transaction("rows", "readwrite");
    t.objectStore("rows").put(record);
    t.oncomplete = () => resolve();
    t.onerror = () => reject(t.error);
  });
}

/** Our client with a keyed list renderer and `liveQueries` subscribers over `records` items. */
async function openOurs(records: number, liveQueries: number) {
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
  root.textContent = "";
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
  /** One update, timed to durable, to rendered, and to the next frame after both. */
  const write = async (i: number, timings: WriteTimings): Promise<void> => {
    const id = ids[i % ids.length] as string;
    const text = `write ${i}`;
    let visibleAt = 0;
    const visible = new Promise<void>((resolve) => {
      watch = {
        id,
        text,
        seen: (at) => {
          visibleAt = at;
          resolve();
        },
      };
    });
    const start = performance.now();
    await client.update("item", id, { text });
    const durableAt = performance.now();
    await visible;
    const frameAt = await nextFrame();
    timings.durable.push(durableAt - start);
    timings.visible.push(visibleAt - start);
    timings.frame.push(frameAt - start);
  };
  return { write, close: () => client.stop() };
}

/** A separate database for the raw puts, with `records` rows like ours. */
async function openRaw(records: number) {
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
  for (let i = 0; i < records; i++) await put(db, { ...base(i), fields: { text: `item ${i}` } });
  const write = async (i: number, times: number[]): Promise<void> => {
    const start = performance.now();
    await put(db, { ...base(i % records), fields: { text: `write ${i}` } });
    times.push(performance.now() - start);
  };
  return { write, close: () => db.close() };
}

/**
 * `writes` pairs: one update of ours and one raw put, each after `settle()`, the first of the
 * pair alternating, so both sides see the same moments of the machine's load.
 */
async function runPaired(
  records: number,
  writes: number,
  liveQueries: number,
): Promise<{ ours: WriteTimings; raw: number[] }> {
  const ours = await openOurs(records, liveQueries);
  const raw = await openRaw(records);
  const timings: WriteTimings = { durable: [], visible: [], frame: [] };
  const rawTimes: number[] = [];
  for (let i = 0; i < writes; i++) {
    const steps = [() => ours.write(i, timings), () => raw.write(i, rawTimes)];
    if (i % 2 === 1) steps.reverse();
    for (const step of steps) {
      await settle();
      await step();
    }
  }
  await ours.close();
  raw.close();
  return { ours: timings, raw: rawTimes };
}

declare global {
  interface Window {
    /** Its own name: other benchmark pages declare `window.bench` with other shapes. */
    localWrite: { runPaired: typeof runPaired };
  }
}
window.localWrite = { runPaired };
