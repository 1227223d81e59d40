import { membership } from "@sync/entities";
import { ErrorCode, type PullQuery, type PullResponse, type Row } from "@sync/protocol";
import { and, asc, eq, gt, inArray, or } from "drizzle-orm";
import { memberships } from "../db/schema/index.js";
import type { Db, Tx } from "../db/types.js";
import { gcHorizon } from "../gc/horizon.js";
import { ApiError } from "../http/api-error.js";
import { ENTITY_TABLES, toRow, toStored } from "./entity-tables.js";

function myLists(tx: Tx, userId: string) {
  return tx
    .select({ id: memberships.listId })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.deleted, false)));
}

/**
 * GET /api/sync/pull: rows the caller may see with version > cursor, in version order (C1).
 * Generic over ENTITY_TABLES, scoped by each table's owner column. All reads share one
 * REPEATABLE READ snapshot, so the tables agree on one prefix of
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
      const rows: Row[] = [];
      for (const t of ENTITY_TABLES) {
        const mine = inArray(t.scope, myLists(tx, userId));
        // A user always sees their own memberships, tombstones included: that is how a removed
        // member's client learns it lost the list.
        const visible =
          t.definition.name === membership.name ? or(eq(memberships.userId, userId), mine) : mine;
        const found = await tx
          .select()
          .from(t.table)
          .where(and(gt(t.table.version, query.cursor), visible))
          .orderBy(asc(t.table.version))
          .limit(take);
        for (const record of found) rows.push(toRow(toStored(t, record as never)));
      }
      rows.sort((a, b) => a.version - b.version);
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
