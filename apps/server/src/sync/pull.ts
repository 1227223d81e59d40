import { ErrorCode, type PullQuery, type PullResponse, type Row } from "@sync/protocol";
import { and, asc, eq, gt, inArray, or } from "drizzle-orm";
import { items, lists, memberships } from "../db/schema/index.js";
import type { Db, Tx } from "../db/types.js";
import { gcHorizon } from "../gc/horizon.js";
import { ApiError } from "../http/api-error.js";
import { entityTable, toRow, toStored } from "./entity-tables.js";

function myLists(tx: Tx, userId: string) {
  return tx
    .select({ id: memberships.listId })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.deleted, false)));
}

/**
 * GET /api/sync/pull: rows the caller may see with version > cursor, in version order (C1).
 * All reads share one REPEATABLE READ snapshot, so the three tables agree on one prefix of
 * the version sequence; the version lock makes every snapshot such a prefix.
 */
export async function pull(db: Db, userId: string, query: PullQuery): Promise<PullResponse> {
  return db.transaction(
    async (tx) => {
      const horizon = await gcHorizon(tx);
      if (query.cursor > 0 && query.cursor < horizon) {
        throw new ApiError(
          409,
          ErrorCode.RESET_REQUIRED,
          "your cursor is older than the tombstone GC horizon: resync from cursor 0",
          {
            details: { horizon },
          },
        );
      }
      const take = query.limit + 1;
      const [listRows, itemRows, memberRows] = [
        await tx
          .select()
          .from(lists)
          .where(and(gt(lists.version, query.cursor), inArray(lists.id, myLists(tx, userId))))
          .orderBy(asc(lists.version))
          .limit(take),
        await tx
          .select()
          .from(items)
          .where(and(gt(items.version, query.cursor), inArray(items.listId, myLists(tx, userId))))
          .orderBy(asc(items.version))
          .limit(take),
        // A user always sees their own memberships, tombstones included: that is how a removed
        // member's client learns it lost the list.
        await tx
          .select()
          .from(memberships)
          .where(
            and(
              gt(memberships.version, query.cursor),
              or(eq(memberships.userId, userId), inArray(memberships.listId, myLists(tx, userId))),
            ),
          )
          .orderBy(asc(memberships.version))
          .limit(take),
      ];
      const rows: Row[] = [
        ...listRows.map((r) => toRow(toStored(entityTable("list"), r))),
        ...itemRows.map((r) => toRow(toStored(entityTable("item"), r))),
        ...memberRows.map((r) => toRow(toStored(entityTable("membership"), r))),
      ].sort((a, b) => a.version - b.version);
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        rows: page,
        cursor: last ? last.version : query.cursor,
        hasMore: rows.length > query.limit,
        serverTime: Date.now(),
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}
