import { HybridClock } from "@sync/clock";
import { applyOperation, validateOperation } from "@sync/entities";
import type { FieldMap, OpKind } from "@sync/protocol";
import type { QueueEntry } from "@sync/queue";
import { v7 as uuidv7 } from "uuid";
import {
  type EngineCore,
  NO_HLC,
  QUOTA_CHECK_EVERY,
  requireSession,
  type Session,
} from "./engine-core.js";
import { SyncClientError } from "./errors.js";
import type { PendingOp } from "./pending-op.js";

/**
 * The write path (rules L3, L6): validate against the current view, stamp with the next HLC,
 * enqueue durably, then show it in the view and tell the other tabs.
 */
export async function writeOperation(
  core: EngineCore,
  kind: OpKind,
  entity: string,
  id: string,
  fields: FieldMap,
  baseOverride?: Record<string, string>,
): Promise<void> {
  const session = requireSession(core);
  const draft: PendingOp = {
    opId: uuidv7(),
    clientId: session.meta.clientId,
    entity,
    id,
    kind,
    // A copy: what is validated is what is stored and shown, whatever the caller does next.
    fields: structuredClone(fields),
    hlc: NO_HLC,
  };
  const base = baseFor(core, draft, baseOverride);
  const op: PendingOp = base ? { ...draft, base } : draft;
  checkOperation(core, op);
  let entry: QueueEntry<PendingOp>;
  core.enqueuing++;
  try {
    // Stamp, seq, entry and meta in one transaction: one commit per write.
    const stamp = (after: string | null) => stampAfter(core, session, after);
    entry = await session.queue.enqueueWith((enqueuedAt) =>
      session.store.appendOperation(op, enqueuedAt, stamp),
    );
    // Only the touched record is recomputed, not the view over every pending operation.
    core.hooks.recompute(core.view.addPending(entry));
  } catch (error) {
    // The write rejects either way; a full disk also deserves a word to the person.
    if (error instanceof Error && error.name === "QuotaExceededError") {
      core.notices.add("error", "This device is out of storage space: the change was not saved.");
    }
    throw error;
  } finally {
    core.enqueuing--;
  }
  core.hooks.changed([]);
  core.hooks.writeMarker(session);
  if (++core.writes % QUOTA_CHECK_EVERY === 0) core.hooks.checkQuota();
}

/** "Ask" fields carry the clock of the value the person saw: the rebased view's clock. */
export function baseFor(
  core: EngineCore,
  op: PendingOp,
  override?: Record<string, string>,
): Record<string, string> | undefined {
  if (op.kind !== "update") return undefined;
  const definition = core.schema.get(op.entity);
  const state = core.view.state(op.entity, op.id);
  const base: Record<string, string> = {};
  for (const name of Object.keys(op.fields)) {
    if (definition?.fields[name]?.merge !== "ask") continue;
    const clock = override?.[name] ?? state?.clocks[name];
    if (clock) base[name] = clock;
  }
  return Object.keys(base).length > 0 ? base : undefined;
}

/** Invalid input throws with the server's error code, and nothing is queued. */
function checkOperation(core: EngineCore, op: PendingOp): void {
  const operation = { ...op, seq: 1 };
  const definition = core.schema.get(op.entity);
  const valid = definition
    ? applyOperation(definition, core.view.state(op.entity, op.id), operation)
    : undefined;
  const checked = validateOperation(core.schema, operation);
  const rejection = !checked.ok ? checked : valid && !valid.ok ? valid : undefined;
  if (rejection) throw new SyncClientError(rejection.code, rejection.message);
}

/** Next HLC, read-modify-write on the meta so it never goes back across reloads and tabs. */
export async function nextHlc(core: EngineCore, session: Session): Promise<string> {
  let hlc = NO_HLC;
  session.meta = await session.store.updateMeta((meta) => {
    hlc = stampAfter(core, session, meta.lastHlc);
    return { ...meta, lastHlc: hlc };
  });
  return hlc;
}

/** The session clock's next HLC, above `after` (the last one stored, maybe by another tab). */
function stampAfter(core: EngineCore, session: Session, after: string | null): string {
  if (after && after > session.clock.last()) {
    session.clock = new HybridClock({
      node: session.meta.nodeId,
      now: core.now,
      last: after,
      offsetMs: session.clock.offsetMs,
    });
  }
  return session.clock.now();
}
