import { ErrorCode, type PullQuery } from "@sync/protocol";
import { executeRows } from "../db/rows.js";
import type { Db } from "../db/types.js";
import { gcHorizon } from "../gc/horizon.js";
import { ApiError } from "../http/api-error.js";
import { processedSeq } from "./client-progress.js";
import { currentCursor } from "./cursor.js";
import { PAGE_PLANNER_SETTINGS, pageQuery } from "./pull-query.js";

/**
 * GET /api/sync/pull: rows the caller may see with version > cursor, in version order (C1),
 * as the JSON text of a PullResponse. Generic over ENTITY_TABLES, scoped by each table's owner
 * column. All reads share one REPEATABLE READ snapshot, so the tables agree on one prefix of
 * the version sequence; the version lock makes every snapshot such a prefix.
 *
 * The page is one statement (sync/pull-query.ts) whose rows Postgres already renders as JSON:
 * the server joins them into the answer without parsing or re-encoding them.
 */
export async function pullPage(db: Db, userId: string, query: PullQuery): Promise<string> {
  return db.transaction(
    async (tx) => {
      await tx.execute(PAGE_PLANNER_SETTINGS);
      // One round trip: all read the same snapshot, so the page, its head and the client's
      // progress agree; a page read for a cursor the horizon then refuses is merely dropped.
      const [horizon, lastSeq, found, head] = await Promise.all([
        gcHorizon(tx),
        query.clientId === undefined ? undefined : processedSeq(tx, query.clientId, userId),
        executeRows<{ v: string | number; j: string }>(
          tx,
          pageQuery({ userId, cursor: query.cursor, take: query.limit + 1 }),
        ),
        currentCursor(tx),
      ]);
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
      const page = found.slice(0, query.limit);
      const hasMore = found.length > query.limit;
      const last = page.at(-1);
      const through = last ? Number(last.v) : query.cursor;
      // The last page has every row the caller may see up to the snapshot's head (C1: a snapshot
      // is a prefix of the versions), so the cursor moves there, past other lists' writes. A
      // quiet list's cursor keeps up: GC of other lists' tombstones never forces it to resync
      // (G2), and stream changes find it at their `from` (S5).
      const cursor = hasMore ? through : Math.max(through, horizon, head);
      const rows = page.map((r) => r.j).join(",");
      // Only the last page vouches for it: its rows, with the earlier pages', reach the head.
      const progress = hasMore || lastSeq === undefined ? "" : `,"lastSeq":${lastSeq}`;
      return `{"rows":[${rows}],"cursor":${cursor},"hasMore":${hasMore},"serverTime":${Date.now()}${progress}}`;
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}
