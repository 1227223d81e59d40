import { createNodeId, HybridClock } from "@sync/clock";
import { LIMITS } from "@sync/protocol";
import { Queue } from "@sync/queue";
import { v7 as uuidv7 } from "uuid";
import { defaultChannel } from "./channel.js";
import { createDependents } from "./dependents.js";
import { DEFAULT_BATCH, type EngineCore, type Session } from "./engine-core.js";
import { openIdbLocalStore } from "./idb/idb-local-store.js";
import type { PendingOp } from "./pending-op.js";
import { keyValueStorage } from "./platform-hooks.js";
import { pushBatch } from "./push-processor.js";
import { readMarker, wasEvicted, writeMarker } from "./storage-durability.js";

/**
 * Opens the local database and builds the session on it: meta (created on first use), the
 * eviction check (rule L12), the HLC resumed from the meta (L3), and a paused queue.
 */
export async function openSession(core: EngineCore, onStorageLost: () => void): Promise<Session> {
  const { options } = core;
  const dbName = options.dbName;
  const store = await (options.localStore
    ? options.localStore(dbName)
    : openIdbLocalStore({
        dbName,
        ...(options.indexedDB ? { indexedDB: options.indexedDB } : {}),
        onTerminated: onStorageLost,
      }));
  const { meta, created } = await store.openMeta(() => ({
    version: 1,
    clientId: uuidv7(),
    nodeId: createNodeId(),
    createdAt: core.now(),
    cursor: 0,
    lastHlc: null,
  }));
  const kv = keyValueStorage(core);
  const marker = readMarker(kv, dbName);
  if (created && wasEvicted(marker, meta.createdAt)) {
    core.net.storageEvicted = true;
    core.notices.add(
      "error",
      `The browser cleared this device's copy of your data, and ${marker?.pending ?? 0} unsynced change(s) with it. What the server has was kept.`,
    );
  }
  core.net.lastSyncedAt = meta.lastSyncedAt ?? null;
  const clock = new HybridClock({
    node: meta.nodeId,
    now: core.now,
    ...(meta.lastHlc ? { last: meta.lastHlc } : {}),
  });
  const queue = new Queue<PendingOp>({
    storage: store.queue,
    process: (batch) => pushBatch(core, batch),
    batchSize: Math.min(options.pushBatchSize ?? DEFAULT_BATCH, LIMITS.maxOpsPerPush),
    backoff: options.backoff ?? {},
    dependents: createDependents(core.schema),
    now: core.now,
    random: core.random,
    timers: core.timers,
    onError: (error) => core.hooks.fail(error),
  });
  // Only the leader drains; every tab starts as a follower.
  queue.pause();
  const channelFactory = options.channel === undefined ? defaultChannel() : options.channel;
  const channel = channelFactory ? channelFactory(`sync-client:${dbName}`) : null;
  const session: Session = { store, meta, clock, queue, channel };
  writeMarker(kv, dbName, { createdAt: meta.createdAt, pending: await store.queue.count() });
  return session;
}

/** Closes what `openSession` opened. */
export async function closeSession(session: Session): Promise<void> {
  session.channel?.close();
  await session.queue.close();
  await session.store.close();
}
