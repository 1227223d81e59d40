import type { HybridClock } from "@sync/clock";
import { applyOperation, type EntitySchema, validateOperation } from "@sync/entities";
import { ErrorCode, type Operation, type Row } from "@sync/protocol";
import type { SessionUser } from "../auth/sessions.js";
import type { Tx } from "../db/types.js";
import { entityTable, loadRecord, scopeOf, toRow, writeRecord } from "./entity-tables.js";
import { addMember, isMember } from "./membership-store.js";
import type { StoredOutcome } from "./op-log.js";
import { takeVersionLock, type VersionLock } from "./version-lock.js";

export interface OpContext {
  readonly tx: Tx;
  readonly schema: EntitySchema;
  readonly clock: HybridClock;
  readonly user: SessionUser;
  readonly lock: VersionLock;
  readonly randomCode: () => string;
}

export interface Change {
  readonly version: number;
  readonly listId: string | undefined;
  readonly userId?: string;
}

export type OpEffect =
  | {
      readonly ok: true;
      readonly outcome: StoredOutcome & { status: "applied" };
      readonly row: Row;
      readonly changes: Change[];
    }
  | { readonly ok: false; readonly outcome: StoredOutcome & { status: "rejected" } };

const rejected = (op: Operation, code: ErrorCode, message: string): OpEffect => ({
  ok: false,
  outcome: { status: "rejected", entity: op.entity, id: op.id, code, message },
});

/**
 * One operation, inside its savepoint: validate (E1), authorize by membership of the owning
 * list (A1), bound the clock (K1), merge with @sync/entities, write with a new version.
 */
export async function applyOp(ctx: OpContext, op: Operation): Promise<OpEffect> {
  const valid = validateOperation(ctx.schema, op);
  if (!valid.ok) return rejected(op, valid.code, valid.message);
  const { definition } = valid;
  const table = entityTable(definition.name);
  const current = await loadRecord(ctx.tx, table, op.id, { forUpdate: true });

  // Scope comes from the stored row when there is one, so a create cannot move a record.
  const scope = current ? scopeOf(definition, current.state) : scopeOf(definition, op);
  const createsList = definition.owner.kind === "root" && !current && op.kind === "create";
  if (!createsList) {
    if (scope === undefined || !(await isMember(ctx.tx, scope, ctx.user.id))) {
      return rejected(op, ErrorCode.NOT_A_MEMBER, "you are not a member of this list");
    }
  }

  const stamp = ctx.clock.stamp(op.hlc, "restamp");
  const serverValues =
    op.kind === "create" && !current
      ? definition.serverDefaults?.({
          now: Date.now(),
          userId: ctx.user.id,
          randomCode: ctx.randomCode,
        })
      : undefined;
  const applied = applyOperation(definition, current?.state, op, {
    ...(stamp.restamped ? { hlc: stamp.hlc } : {}),
    ...(serverValues ? { serverValues } : {}),
  });
  if (!applied.ok) return rejected(op, applied.code, applied.message);

  const changes: Change[] = [];
  let row: Row;
  if (applied.changed || !current) {
    await takeVersionLock(ctx.tx, ctx.lock);
    const written = await writeRecord(ctx.tx, table, applied.state);
    changes.push({ version: written.version, listId: scopeOf(definition, applied.state) });
    row = toRow(written);
  } else {
    row = toRow(current);
  }
  if (createsList) {
    const member = await addMember(ctx.tx, ctx.lock, ctx.clock, ctx.user, op.id);
    if (member) changes.push({ version: member.version, listId: op.id, userId: ctx.user.id });
  }
  return {
    ok: true,
    outcome: {
      status: "applied",
      entity: op.entity,
      id: op.id,
      ...(stamp.restamped ? { restampedHlc: stamp.hlc } : {}),
      ...(applied.conflicts.length > 0 ? { conflicts: applied.conflicts } : {}),
    },
    row,
    changes,
  };
}
