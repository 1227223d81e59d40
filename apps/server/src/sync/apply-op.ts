import type { HybridClock } from "@sync/clock";
import { applyOperation, type EntitySchema, validateOperation } from "@sync/entities";
import { ErrorCode, type Operation } from "@sync/protocol";
import type { SessionUser } from "../auth/sessions.js";
import {
  type BatchState,
  currentRecord,
  isBatchMember,
  stageWrite,
  type WorkingRecord,
} from "./batch-state.js";
import { entityTable, scopeOf } from "./entity-tables.js";
import { stageMember } from "./membership-store.js";
import type { StoredOutcome } from "./op-log.js";

export interface OpContext {
  readonly batch: BatchState;
  readonly schema: EntitySchema;
  readonly clock: HybridClock;
  readonly user: SessionUser;
  readonly randomCode: () => string;
}

export type OpEffect =
  | {
      readonly ok: true;
      readonly outcome: StoredOutcome & { status: "applied" };
      /** The record after the op; its version is known once the batch is written. */
      readonly record: WorkingRecord;
    }
  | { readonly ok: false; readonly outcome: StoredOutcome & { status: "rejected" } };

const rejected = (op: Operation, code: ErrorCode, message: string): OpEffect => ({
  ok: false,
  outcome: { status: "rejected", entity: op.entity, id: op.id, code, message },
});

/**
 * One operation, decided in memory against the batch's preloaded rows: validate (E1),
 * authorize by membership of the owning list (A1), bound the clock (K1), merge with
 * @sync/entities, stage the write. Nothing is staged unless the op is applied, so a rejection
 * leaves nothing to roll back (P3) and needs no savepoint.
 */
export function applyOp(ctx: OpContext, op: Operation): OpEffect {
  const valid = validateOperation(ctx.schema, op);
  if (!valid.ok) return rejected(op, valid.code, valid.message);
  const { definition } = valid;
  const table = entityTable(definition.name);
  const current = currentRecord(ctx.batch, definition.name, op.id);

  // Scope comes from the stored row when there is one, so a create cannot move a record.
  const scope = current ? scopeOf(definition, current.state) : scopeOf(definition, op);
  const createsList = definition.owner.kind === "root" && !current && op.kind === "create";
  if (!createsList) {
    if (scope === undefined || !isBatchMember(ctx.batch, scope)) {
      return rejected(op, ErrorCode.NOT_A_MEMBER, "you are not a member of this list");
    }
  }

  const stamp = ctx.clock.stamp(op.hlc, "restamp");
  const serverContext = { now: Date.now(), userId: ctx.user.id, randomCode: ctx.randomCode };
  const serverValues =
    op.kind === "create" && !current ? definition.serverDefaults?.(serverContext) : undefined;
  // Offered on every op; applyOperation sets them only if the op changes the record.
  const changeValues = definition.serverOnChange?.(serverContext);
  const applied = applyOperation(definition, current?.state, op, {
    ...(stamp.restamped ? { hlc: stamp.hlc } : {}),
    ...(serverValues ? { serverValues } : {}),
    ...(changeValues ? { changeValues } : {}),
  });
  if (!applied.ok) return rejected(op, applied.code, applied.message);

  const record =
    applied.changed || !current
      ? stageWrite(ctx.batch, table, applied.state, {
          listId: scopeOf(definition, applied.state),
        })
      : current;
  if (createsList) stageMember(ctx.batch, ctx.clock, ctx.user, op.id);
  return {
    ok: true,
    outcome: {
      status: "applied",
      entity: op.entity,
      id: op.id,
      ...(stamp.restamped ? { restampedHlc: stamp.hlc } : {}),
      ...(applied.conflicts.length > 0 ? { conflicts: applied.conflicts } : {}),
    },
    record,
  };
}
