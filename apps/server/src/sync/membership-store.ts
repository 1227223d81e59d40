import type { HybridClock } from "@sync/clock";
import { applyOperation, membership } from "@sync/entities";
import type { Operation } from "@sync/protocol";
import { and, eq } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import { memberships } from "../db/schema/index.js";
import type { Queryable } from "../db/types.js";
import { type BatchState, ownMembership, stageWrite } from "./batch-state.js";
import { entityTable, loadRecord, type StoredRecord, writeRecord } from "./entity-tables.js";
import { takeVersionLock, type VersionLock } from "./version-lock.js";

const table = entityTable(membership.name);
/** Server-made operations carry the nil client id: they never enter the dedup log. */
const SERVER_CLIENT_ID = "00000000-0000-0000-0000-000000000000";

async function findMembership(db: Queryable, listId: string, userId: string) {
  const [row] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.listId, listId), eq(memberships.userId, userId)))
    .limit(1);
  return row ? loadRecord(db, table, row.id, { forUpdate: true }) : undefined;
}

function serverOp(clock: HybridClock, id: string, kind: Operation["kind"]): Operation {
  return {
    opId: uuidv7(),
    clientId: SERVER_CLIENT_ID,
    seq: 1,
    entity: membership.name,
    id,
    kind,
    fields: {},
    hlc: clock.now(),
  };
}

/**
 * Makes the user an active member of the list (create, or restore a tombstoned membership)
 * through the same merge as client operations. Returns the written row, or undefined when the
 * user already was a member.
 */
export async function addMember(
  db: Queryable,
  lock: VersionLock,
  clock: HybridClock,
  user: { id: string; username: string },
  listId: string,
): Promise<StoredRecord | undefined> {
  const existing = await findMembership(db, listId, user.id);
  if (existing && !existing.state.deleted) return undefined;
  const op = serverOp(clock, existing?.state.id ?? uuidv7(), existing ? "restore" : "create");
  const applied = applyOperation(membership, existing?.state, op, {
    serverValues: { listId, userId: user.id, username: user.username, joinedAt: Date.now() },
  });
  if (!applied.ok) throw new Error(`membership merge failed: ${applied.message}`);
  await takeVersionLock(db, lock);
  return writeRecord(db, table, applied.state);
}

/**
 * {@link addMember} inside a push batch: decided against the batch's preloaded memberships of
 * the caller and staged with the batch's writes.
 */
export function stageMember(
  batch: BatchState,
  clock: HybridClock,
  user: { id: string; username: string },
  listId: string,
): void {
  const existing = ownMembership(batch, listId);
  if (existing && !existing.state.deleted) return;
  const op = serverOp(clock, existing?.state.id ?? uuidv7(), existing ? "restore" : "create");
  const applied = applyOperation(membership, existing?.state, op, {
    serverValues: { listId, userId: user.id, username: user.username, joinedAt: Date.now() },
  });
  if (!applied.ok) throw new Error(`membership merge failed: ${applied.message}`);
  stageWrite(batch, table, applied.state, { listId, userId: user.id });
}

/** Tombstones the membership; returns undefined when the user was not an active member. */
export async function removeMember(
  db: Queryable,
  lock: VersionLock,
  clock: HybridClock,
  userId: string,
  listId: string,
): Promise<StoredRecord | undefined> {
  const existing = await findMembership(db, listId, userId);
  if (!existing || existing.state.deleted) return undefined;
  const applied = applyOperation(
    membership,
    existing.state,
    serverOp(clock, existing.state.id, "delete"),
  );
  if (!applied.ok) throw new Error(`membership merge failed: ${applied.message}`);
  await takeVersionLock(db, lock);
  return writeRecord(db, table, applied.state);
}
