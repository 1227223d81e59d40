import type { HybridClock } from "@sync/clock";
import type { EntitySchema } from "@sync/entities";
import {
  ErrorCode,
  type Operation,
  type OpResult,
  type PushRequest,
  type PushResponse,
  type Row,
} from "@sync/protocol";
import { sql } from "drizzle-orm";
import type { SessionUser } from "../auth/sessions.js";
import { clients } from "../db/schema/index.js";
import type { Db, Tx } from "../db/types.js";
import { ApiError } from "../http/api-error.js";
import { applyOp } from "./apply-op.js";
import {
  addReadOnlyRecords,
  type BatchState,
  currentRecord,
  isBatchMember,
  loadBatchState,
  type WorkingRecord,
  writeBatch,
} from "./batch-state.js";
import { ChangeCollector, type ChangeEvent } from "./change-event.js";
import { currentCursor } from "./cursor.js";
import { scopeOf } from "./entity-tables.js";
import {
  findRecorded,
  loadRecorded,
  noteOutcome,
  recordOutcomes,
  type StoredOutcome,
} from "./op-log.js";

export interface PushHooks {
  /** Test seam: runs inside the push transaction just before it commits. */
  readonly beforeCommit?: (request: PushRequest) => Promise<void>;
}

export interface PushDeps {
  readonly db: Db;
  /** Announces the change inside the push transaction (delivered at commit), when it can. */
  readonly announce?: (tx: Tx, event: ChangeEvent) => Promise<void>;
  readonly schema: EntitySchema;
  readonly clock: HybridClock;
  readonly randomCode: () => string;
  readonly hooks?: PushHooks;
}

/**
 * Locks the client row; a new client id is claimed by the caller, another user's is refused.
 * One statement: the no-op DO UPDATE takes the row lock (as FOR UPDATE would) and returns the
 * stored row, whoever inserted it.
 */
async function lockClient(tx: Tx, clientId: string, userId: string): Promise<number> {
  const [client] = await tx
    .insert(clients)
    .values({ clientId, userId })
    .onConflictDoUpdate({ target: clients.clientId, set: { lastSeq: sql`${clients.lastSeq}` } })
    .returning({ userId: clients.userId, lastSeq: clients.lastSeq });
  if (!client || client.userId !== userId) {
    throw new ApiError(403, ErrorCode.CLIENT_MISMATCH, "this clientId belongs to another user");
  }
  return client.lastSeq;
}

/** The record as the batch left it, if the caller may see it (A1): what a duplicate carries. */
function visibleRecord(
  schema: EntitySchema,
  batch: BatchState,
  outcome: StoredOutcome,
): WorkingRecord | undefined {
  const definition = schema.get(outcome.entity);
  if (!definition) return undefined;
  const record = currentRecord(batch, definition.name, outcome.id);
  if (!record) return undefined;
  const scope = scopeOf(definition, record.state);
  return scope !== undefined && isBatchMember(batch, scope) ? record : undefined;
}

const rowOf = (record: WorkingRecord): Row => ({ ...record.state, version: record.ref.version });

function resultOf(op: Operation, outcome: StoredOutcome, row: Row | undefined): OpResult {
  if (outcome.status === "rejected") {
    return {
      opId: op.opId,
      seq: op.seq,
      status: "rejected",
      code: outcome.code,
      message: outcome.message,
    };
  }
  if (!row) throw new Error("an applied result needs its row");
  return {
    opId: op.opId,
    seq: op.seq,
    status: "applied",
    row,
    ...(outcome.restampedHlc ? { restampedHlc: outcome.restampedHlc } : {}),
    ...(outcome.conflicts ? { conflicts: [...outcome.conflicts] } : {}),
  };
}

/** Builds an op's result once the batch is written and its versions are known. */
type PendingResult = () => OpResult;

/**
 * POST /api/sync/push: one transaction, the client row locked for its duration (P2), every
 * outcome recorded for deduplication (P1). The batch's recorded outcomes, rows and the caller's
 * memberships are loaded up front; each op is then decided in memory in client order, so a
 * rejection stages nothing and cannot affect its neighbours (P3) without a savepoint per op.
 * The writes follow as one statement: the version lock, the versions, and one multi-row upsert
 * per table (C1). No savepoints: the original ones only ever rolled back
 * rejections, which are now decided before anything is written; a write that fails at the
 * database level (e.g. an invite-code collision) fails the whole push, as it did before.
 */
export async function applyPush(
  deps: PushDeps,
  user: SessionUser,
  request: PushRequest,
): Promise<{ response: PushResponse; event: ChangeEvent | undefined; announced: boolean }> {
  // The route already refused versions below MIN_PROTOCOL_VERSION (CLIENT_TOO_OLD).
  const changes = new ChangeCollector();
  // Results are built once the transaction has committed, not while it holds the version lock.
  const pending: PendingResult[] = [];
  const cursor = await deps.db.transaction(async (tx) => {
    // First and alone: what follows must read the outcomes of this client's previous push,
    // which may have committed while this one waited for the row lock (P1, P2).
    let lastSeq = await lockClient(tx, request.clientId, user.id);
    const [recorded, batch] = await Promise.all([
      loadRecorded(tx, request.clientId, request.ops),
      loadBatchState(tx, deps.schema, user.id, request.ops),
    ]);
    // A duplicate matched by seq may name another record; it is read, never written.
    const earlierRecords = [...recorded.byOpId.values()].map((o) => ({
      entity: o.entity,
      id: o.id,
    }));
    await addReadOnlyRecords(tx, deps.schema, batch, earlierRecords);
    const ctx = {
      batch,
      schema: deps.schema,
      clock: deps.clock,
      user,
      randomCode: deps.randomCode,
    };
    const fresh: { op: Operation; outcome: StoredOutcome }[] = [];
    for (const op of request.ops) {
      const earlier = findRecorded(recorded, op);
      if (earlier) {
        const record = visibleRecord(deps.schema, batch, earlier);
        // Snapshot now: a later op of the batch may change the record.
        const state = record?.state;
        const ref = record?.ref;
        pending.push(() => ({
          opId: op.opId,
          seq: op.seq,
          status: "duplicate",
          original: earlier.status,
          ...(earlier.status === "rejected"
            ? { code: earlier.code, message: earlier.message }
            : {}),
          ...(state && ref ? { row: rowOf({ state, ref }) } : {}),
        }));
        continue;
      }
      if (op.seq <= lastSeq) {
        // A seq below the client's high-water mark that was never recorded: applying it now
        // would break client order (P2), so it is refused, and recorded so a retry agrees.
        const outcome: StoredOutcome = {
          status: "rejected",
          entity: op.entity,
          id: op.id,
          code: ErrorCode.CONFLICT,
          message: `seq ${op.seq} arrived after seq ${lastSeq} of the same client`,
        };
        noteOutcome(recorded, op, outcome);
        fresh.push({ op, outcome });
        pending.push(() => resultOf(op, outcome, undefined));
        continue;
      }
      const effect = applyOp(ctx, op);
      noteOutcome(recorded, op, effect.outcome);
      fresh.push({ op, outcome: effect.outcome });
      lastSeq = op.seq;
      const record = effect.ok ? effect.record : undefined;
      pending.push(() => resultOf(op, effect.outcome, record ? rowOf(record) : undefined));
    }
    // Streams of this client learn with the rows how far it was processed (L23).
    changes.writer = { clientId: request.clientId, lastSeq };
    // Issued together for one round trip; on one connection they run in this order, so the
    // version lock (held from there to commit) is taken last, as late as possible. The lock
    // and the versions drawn under it are one statement: C1 holds in any order.
    await Promise.all([
      recordOutcomes(tx, request.clientId, lastSeq, fresh),
      writeBatch(
        tx,
        batch,
        changes,
        deps.announce && ((event) => deps.announce?.(tx, event) ?? Promise.resolve()),
      ),
    ]);
    await deps.hooks?.beforeCommit?.(request);
    return changes.cursor > 0 ? changes.cursor : currentCursor(tx);
  });
  const event = changes.event();
  return {
    response: { results: pending.map((result) => result()), serverTime: Date.now(), cursor },
    event,
    announced: event !== undefined && deps.announce !== undefined,
  };
}
