import { PROTOCOL_VERSION } from "@sync/protocol";
import type { EntryOutcome, QueueEntry } from "@sync/queue";
import { onExchange, seeClocks } from "./clock-sync.js";
import { type EngineCore, requireSession } from "./engine-core.js";
import type { PendingOp } from "./pending-op.js";
import { settlePush, toQueueFailure } from "./push-results.js";
import type { Transport } from "./transport.js";
import { onTransportError } from "./transport-failures.js";

/**
 * The queue's processor: sends one batch, then stores what the server settled (rules C4, C5)
 * and returns the per-entry outcomes; the queue dead-letters the rejected ones (C7).
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
      ops: batch.map((entry) => ({ ...entry.item, seq: entry.seq })),
    });
  } catch (error) {
    onTransportError(core, error);
    throw toQueueFailure(error, core.now());
  }
  onExchange(core, session, response);
  const settled = settlePush(batch, response.body, core.now());
  // C5: canonical rows, removal of the settled ops and conflicts commit together.
  const written = await session.store.acknowledge(settled);
  core.pushed += settled.doneSeqs.length;
  seeClocks(session, settled.rows);
  const keys = core.view.putConfirmed(written);
  keys.push(...core.view.settle(settled.doneSeqs));
  if (settled.conflicts.length > 0) {
    const fresh = new Set(settled.conflicts.map((c) => c.key));
    core.conflicts = [...core.conflicts.filter((c) => !fresh.has(c.key)), ...settled.conflicts];
    core.notices.add(
      "warning",
      `${settled.conflicts.length} change(s) conflict with someone else's: choose which to keep.`,
    );
  }
  core.hooks.recompute(keys);
  core.hooks.changed(written);
  return settled.outcomes;
}
