import type { Conflict, ErrorCode, Operation } from "@sync/protocol";
import { and, eq, or } from "drizzle-orm";
import { appliedOps } from "../db/schema/index.js";
import type { Queryable } from "../db/types.js";

/** What an operation did the first time, kept so a re-delivery answers the same (P1). */
export type StoredOutcome =
  | {
      readonly status: "applied";
      readonly entity: string;
      readonly id: string;
      readonly restampedHlc?: string;
      readonly conflicts?: readonly Conflict[];
    }
  | {
      readonly status: "rejected";
      readonly entity: string;
      readonly id: string;
      readonly code: ErrorCode;
      readonly message: string;
    };

/** The recorded outcome of this operation id, or of the same seq from this client. */
export async function findRecorded(
  db: Queryable,
  op: Operation,
): Promise<StoredOutcome | undefined> {
  const rows = await db
    .select({ opId: appliedOps.opId, outcome: appliedOps.outcome })
    .from(appliedOps)
    .where(
      and(
        eq(appliedOps.clientId, op.clientId),
        or(eq(appliedOps.opId, op.opId), eq(appliedOps.seq, op.seq)),
      ),
    );
  const match = rows.find((r) => r.opId === op.opId) ?? rows[0];
  return match?.outcome as StoredOutcome | undefined;
}

export async function recordOutcome(
  db: Queryable,
  op: Operation,
  outcome: StoredOutcome,
): Promise<void> {
  await db.insert(appliedOps).values({
    clientId: op.clientId,
    opId: op.opId,
    seq: op.seq,
    outcome,
  });
}
