import { PROTOCOL_VERSION } from "@sync/protocol";
import type { EntryOutcome, QueueEntry } from "@sync/queue";
import { v7 as uuidv7 } from "uuid";
import { onExchange, seeClocks } from "./clock-sync.js";
import { type EngineCore, requireSession, type Session } from "./engine-core.js";
import { type PendingOp, toOperation } from "./pending-op.js";
import { settlePush, toQueueFailure } from "./push-results.js";
import { rebase, restampsOf, stillNeeded } from "./restamps.js";
import type { Transport } from "./transport.js";
import { onTransportError } from "./transport-failures.js";

/**
 * The queue's processor: sends one batch, then stores what the server settled (rules L4, L5)
 * and returns the per-entry outcomes; the queue dead-letters the rejected ones (L7).
 */
export async function pushBatch(
  core: EngineCore,
  batch: readonly QueueEntry<PendingOp>[],
): Promise<EntryOutcome[]> {
  const session = requireSession(core);
  let response: Awaited<ReturnType<Transport["push"]>>;
  try {
    response = await core.transport.push({
      protocolVersion: PROTOCOL_VERSION,
      clientId: session.meta.clientId,
      ops: batch.map((entry) => rebase(toOperation(entry), core.restamps)),
    });
  } catch (error) {
    onTransportError(core, error);
    throw toQueueFailure(error, core.now());
  }
  onExchange(core, session, response);
  await keepRestamps(core, session, restampsOf(batch, response.body));
  const settled = settlePush(batch, response.body, core.now());
  // L5: canonical rows, removal of the settled ops and conflicts commit together.
  const written = await session.store.acknowledge(settled);
  if (settled.conflicts.length > 0) core.conflictWrites++;
  core.pushed += settled.doneSeqs.length;
  seeClocks(session, settled.rows);
  const keys = core.view.putConfirmed(written);
  keys.push(...core.view.settle(settled.doneSeqs));
  if (settled.conflicts.length > 0) {
    const fresh = new Set(settled.conflicts.map((c) => c.key));
    core.conflicts = [...core.conflicts.filter((c) => !fresh.has(c.key)), ...settled.conflicts];
    core.conflictNotices.announce([...fresh]);
  }
  const rejected = settled.outcomes.filter((o) => o.status === "rejected").map((o) => o.seq);
  core.rejections.recordPush(uuidv7(), rejected);
  core.hooks.recompute(keys);
  core.hooks.changed(written);
  return settled.outcomes;
}

/**
 * L19: re-stamps that later queued operations depend on are persisted before the
 * acknowledgement: a crash in between pushes the operation again, answered as a duplicate.
 */
async function keepRestamps(
  core: EngineCore,
  session: Session,
  fresh: ReadonlyMap<string, string>,
): Promise<void> {
  if (fresh.size === 0) return;
  const next = stillNeeded(new Map([...core.restamps, ...fresh]), core.view.pendingEntries());
  // Nothing new to keep: every fresh entry is unneeded. (The size alone cannot tell: a fresh
  // entry may come in while one no longer needed drops out.)
  if (![...fresh.keys()].some((hlc) => next.has(hlc))) return;
  const restamps = Object.fromEntries(next);
  await session.store.updateMeta((meta) => ({ ...meta, restamps }));
  session.meta = { ...session.meta, restamps };
  core.restamps = next;
  core.hooks.recompute(core.view.setRestamps(next));
}
