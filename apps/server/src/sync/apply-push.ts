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
import { eq, sql } from "drizzle-orm";
import type { SessionUser } from "../auth/sessions.js";
import { clients } from "../db/schema/index.js";
import type { Db, Tx } from "../db/types.js";
import { ApiError } from "../http/api-error.js";
import { applyOp, type OpEffect } from "./apply-op.js";
import { ChangeCollector, type ChangeEvent } from "./change-event.js";
import { currentCursor } from "./cursor.js";
import { entityTable, loadRecord, scopeOf, toRow } from "./entity-tables.js";
import { isMember } from "./membership-store.js";
import { findRecorded, recordOutcome, type StoredOutcome } from "./op-log.js";
import type { VersionLock } from "./version-lock.js";

export interface PushHooks {
  /** Test seam: runs inside the push transaction just before it commits. */
  readonly beforeCommit?: (request: PushRequest) => Promise<void>;
}

export interface PushDeps {
  readonly db: Db;
  readonly schema: EntitySchema;
  readonly clock: HybridClock;
  readonly randomCode: () => string;
  readonly hooks?: PushHooks;
}

/** Thrown inside a savepoint to roll it back; carries the rejection out. */
class Rollback extends Error {
  readonly effect: OpEffect;
  constructor(effect: OpEffect) {
    super("rollback");
    this.effect = effect;
  }
}

/** Locks the client row; a new client id is claimed by the caller, another user's is refused. */
async function lockClient(tx: Tx, clientId: string, userId: string): Promise<number> {
  await tx.insert(clients).values({ clientId, userId }).onConflictDoNothing();
  const [client] = await tx
    .select({ userId: clients.userId, lastSeq: clients.lastSeq })
    .from(clients)
    .where(eq(clients.clientId, clientId))
    .for("update");
  if (!client || client.userId !== userId) {
    throw new ApiError(403, ErrorCode.CLIENT_MISMATCH, "this clientId belongs to another user");
  }
  return client.lastSeq;
}

async function visibleRow(tx: Tx, schema: EntitySchema, outcome: StoredOutcome, userId: string) {
  const definition = schema.get(outcome.entity);
  if (!definition) return undefined;
  const stored = await loadRecord(tx, entityTable(definition.name), outcome.id);
  if (!stored) return undefined;
  const scope = scopeOf(definition, stored.state);
  return scope !== undefined && (await isMember(tx, scope, userId)) ? toRow(stored) : undefined;
}

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

/**
 * POST /api/sync/push: one transaction, the client row locked for its duration (P2), each
 * operation in its own savepoint (P3), every outcome recorded for deduplication (P1).
 */
export async function applyPush(
  deps: PushDeps,
  user: SessionUser,
  request: PushRequest,
): Promise<{ response: PushResponse; event: ChangeEvent | undefined }> {
  // The route already refused versions below MIN_PROTOCOL_VERSION (CLIENT_TOO_OLD).
  const changes = new ChangeCollector();
  const results: OpResult[] = [];
  const cursor = await deps.db.transaction(async (tx) => {
    let lastSeq = await lockClient(tx, request.clientId, user.id);
    const lock: VersionLock = { held: false };
    const ctx = {
      tx,
      schema: deps.schema,
      clock: deps.clock,
      user,
      lock,
      randomCode: deps.randomCode,
    };
    for (const op of request.ops) {
      const recorded = await findRecorded(tx, op);
      if (recorded) {
        const row = await visibleRow(tx, deps.schema, recorded, user.id);
        results.push({
          opId: op.opId,
          seq: op.seq,
          status: "duplicate",
          original: recorded.status,
          ...(recorded.status === "rejected"
            ? { code: recorded.code, message: recorded.message }
            : {}),
          ...(row ? { row } : {}),
        });
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
        await recordOutcome(tx, op, outcome);
        results.push(resultOf(op, outcome, undefined));
        continue;
      }
      const heldBefore = lock.held;
      let effect: OpEffect;
      try {
        effect = await tx.transaction(async (savepoint) => {
          const e = await applyOp({ ...ctx, tx: savepoint }, op);
          if (!e.ok) throw new Rollback(e);
          return e;
        });
      } catch (error) {
        if (!(error instanceof Rollback)) throw error;
        effect = error.effect;
        lock.held = heldBefore; // a rolled-back savepoint may have released the lock it took
      }
      if (effect.ok) for (const c of effect.changes) changes.add(c.version, c.listId, c.userId);
      await recordOutcome(tx, op, effect.outcome);
      lastSeq = op.seq;
      results.push(resultOf(op, effect.outcome, effect.ok ? effect.row : undefined));
    }
    await tx
      .update(clients)
      .set({ lastSeq: sql`greatest(${clients.lastSeq}, ${lastSeq})` })
      .where(eq(clients.clientId, request.clientId));
    await deps.hooks?.beforeCommit?.(request);
    return changes.cursor > 0 ? changes.cursor : currentCursor(tx);
  });
  return { response: { results, serverTime: Date.now(), cursor }, event: changes.event() };
}
