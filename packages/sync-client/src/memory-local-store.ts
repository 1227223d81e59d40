import type { Row } from "@sync/protocol";
import { createMemoryQueueData, createMemoryQueueStorage, type MemoryQueueData } from "@sync/queue";
import { CLIENT_ERROR_CODES, SyncClientError } from "./errors.js";
import type { LocalStore, StoredConflict, StoredMeta } from "./local-store.js";
import type { PendingOp } from "./pending-op.js";
import { advancedMeta, resyncedMeta } from "./pull-progress.js";
import { recordKey } from "./record-key.js";
import { keepConfirmedAfter } from "./resync-merge.js";

/** The data behind memory stores: several stores over one data act like tabs of one database. */
export interface MemoryLocalData {
  readonly queue: MemoryQueueData;
  readonly rows: Map<string, Row>;
  readonly conflicts: Map<string, StoredConflict>;
  meta: StoredMeta | undefined;
}

export function createMemoryLocalData(): MemoryLocalData {
  return { queue: createMemoryQueueData(), rows: new Map(), conflicts: new Map(), meta: undefined };
}

/**
 * `LocalStore` in memory, for tests and for environments without IndexedDB. Each method clones
 * its input first and then mutates synchronously, so it is atomic: a failure changes nothing.
 */
export function createMemoryLocalStore(
  data: MemoryLocalData = createMemoryLocalData(),
): LocalStore {
  const queue = createMemoryQueueStorage<PendingOp>({ data: data.queue });
  let closed = false;
  const open = async (): Promise<void> => {
    if (closed) throw new SyncClientError(CLIENT_ERROR_CODES.stopped, "local store is closed");
  };
  const putNewer = (rows: readonly Row[]): Row[] => {
    const written: Row[] = [];
    for (const row of rows) {
      const key = recordKey(row.entity, row.id);
      const current = data.rows.get(key);
      if (current && current.version > row.version) continue;
      data.rows.set(key, row);
      written.push(structuredClone(row));
    }
    return written;
  };
  const missingMeta = () =>
    new SyncClientError(CLIENT_ERROR_CODES.storage, "sync metadata is missing");

  return {
    queue,
    async openMeta(init) {
      await open();
      if (data.meta) return { meta: structuredClone(data.meta), created: false };
      data.meta = structuredClone(init());
      return { meta: structuredClone(data.meta), created: true };
    },
    async readMeta() {
      await open();
      if (!data.meta) throw missingMeta();
      return structuredClone(data.meta);
    },
    async appendOperation(op, enqueuedAt, stamp) {
      await open();
      const meta = data.meta;
      if (!meta) throw missingMeta();
      // Cloned before stamping, so an uncloneable operation changes nothing.
      const item = structuredClone(op);
      // Stamped and stored before the append's first await: no other store interleaves.
      const hlc = stamp(meta.lastHlc);
      data.meta = { ...meta, lastHlc: hlc };
      return queue.append({ ...item, hlc }, enqueuedAt);
    },
    async updateMeta(change) {
      await open();
      if (!data.meta) throw missingMeta();
      const next = structuredClone(change(structuredClone(data.meta)));
      data.meta = next;
      return structuredClone(next);
    },
    async allRows() {
      await open();
      return structuredClone([...data.rows.values()]);
    },
    async getRows(keys) {
      await open();
      const rows = keys.map((key) => data.rows.get(recordKey(key[0], key[1])));
      return structuredClone(rows.filter((row): row is Row => row !== undefined));
    },
    async acknowledge(ack) {
      await open();
      const { rows, conflicts } = structuredClone({ rows: ack.rows, conflicts: ack.conflicts });
      const written = putNewer(rows);
      for (const seq of ack.doneSeqs) data.queue.pending.delete(seq);
      for (const conflict of conflicts) data.conflicts.set(conflict.key, conflict);
      return written;
    },
    async applyPull(rows, cursor, after, processedSeq) {
      await open();
      if (after !== undefined && (data.meta?.cursor ?? 0) < after) {
        throw new SyncClientError(
          CLIENT_ERROR_CODES.storage,
          `pulled page after cursor ${after} not stored: the stored cursor is behind it`,
        );
      }
      const copies = structuredClone(rows);
      const written = putNewer(copies);
      const meta = data.meta && advancedMeta(data.meta, cursor, processedSeq);
      if (meta) data.meta = meta;
      return written;
    },
    async replaceAll(rows, cursor, processedSeq) {
      await open();
      const next = keepConfirmedAfter([...data.rows.values()], structuredClone(rows), cursor);
      data.rows.clear();
      for (const row of next) data.rows.set(recordKey(row.entity, row.id), row);
      if (data.meta) data.meta = resyncedMeta(data.meta, cursor, processedSeq);
      return structuredClone(next);
    },
    async deleteRows(keys) {
      await open();
      for (const key of keys) data.rows.delete(recordKey(key[0], key[1]));
    },
    async conflicts() {
      await open();
      return structuredClone([...data.conflicts.values()]);
    },
    async deleteConflict(key) {
      await open();
      data.conflicts.delete(key);
    },
    async close() {
      if (closed) return;
      closed = true;
      await queue.close();
    },
  };
}
