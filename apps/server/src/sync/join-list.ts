import type { HybridClock } from "@sync/clock";
import { ErrorCode } from "@sync/protocol";
import { and, eq, sql } from "drizzle-orm";
import type { SessionUser } from "../auth/sessions.js";
import { lists } from "../db/schema/index.js";
import type { Db } from "../db/types.js";
import { ApiError } from "../http/api-error.js";
import { ChangeCollector, type ChangeEvent } from "./change-event.js";
import { currentCursor } from "./cursor.js";
import { ENTITY_TABLES } from "./entity-tables.js";
import { addMember, removeMember } from "./membership-store.js";
import { takeVersionLock, type VersionLock } from "./version-lock.js";

const NEXT_VERSION = sql`nextval('change_version_seq')`;

/**
 * POST /api/lists/join (A2). Besides the membership, every row of the list gets a fresh
 * version: the joiner's cursor is already past the rows' old versions, so without this their
 * next pull would never return the list's existing items (C2). Every entity table scoped to
 * the list takes part, so a new entity needs nothing here.
 */
export async function joinList(
  db: Db,
  clock: HybridClock,
  user: SessionUser,
  code: string,
): Promise<{ listId: string; event: ChangeEvent | undefined }> {
  return db.transaction(async (tx) => {
    const [list] = await tx
      .select({ id: lists.id })
      .from(lists)
      .where(and(eq(lists.inviteCode, code), eq(lists.deleted, false)))
      .limit(1);
    if (!list) throw new ApiError(404, ErrorCode.INVALID_INVITE, "no list has this invite code");
    const lock: VersionLock = { held: false };
    const changes = new ChangeCollector();
    // Taken before the membership read so the event can name the head it started from.
    await takeVersionLock(tx, lock);
    changes.prev = await currentCursor(tx);
    const member = await addMember(tx, lock, clock, user, list.id);
    if (member) {
      await takeVersionLock(tx, lock);
      const touched: { v: unknown }[] = [];
      for (const { table, scope } of ENTITY_TABLES) {
        touched.push(
          ...(await tx
            .update(table)
            .set({ version: NEXT_VERSION })
            .where(eq(scope, list.id))
            .returning({ v: table.version })),
        );
      }
      for (const t of touched) changes.add(Number(t.v), list.id);
      changes.add(member.version, list.id, user.id);
    }
    return { listId: list.id, event: changes.event() };
  });
}

/** POST /api/lists/:id/leave: tombstones the caller's membership (A3). */
export async function leaveList(
  db: Db,
  clock: HybridClock,
  user: SessionUser,
  listId: string,
): Promise<ChangeEvent | undefined> {
  return db.transaction(async (tx) => {
    const lock: VersionLock = { held: false };
    const changes = new ChangeCollector();
    await takeVersionLock(tx, lock);
    changes.prev = await currentCursor(tx);
    const removed = await removeMember(tx, lock, clock, user.id, listId);
    if (!removed)
      throw new ApiError(403, ErrorCode.NOT_A_MEMBER, "you are not a member of this list");
    changes.add(removed.version, listId, user.id);
    return changes.event();
  });
}
