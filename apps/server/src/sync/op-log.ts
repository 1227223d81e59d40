import type { Conflict, ErrorCode, Operation } from "@sync/protocol";
import { and, eq, or, sql } from "drizzle-orm";
import { appliedOps, clients } from "../db/schema/index.js";
import type { Queryable } from "../db/types.js";
import { bigintArray, uuidArray } from "./array-param.js";

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

/** Outcomes already recorded for a client, by opId and by seq (P1): one lookup per push. */
export interface RecordedOutcomes {
  readonly byOpId: Map<string, StoredOutcome>;
  readonly bySeq: Map<number, StoredOutcome>;
}

/** The recorded outcome of this operation id, or else of the same seq from this client. */
export function findRecorded(recorded: RecordedOutcomes, op: Operation): StoredOutcome | undefined {
  return recorded.byOpId.get(op.opId) ?? recorded.bySeq.get(op.seq);
}

/** Every recorded outcome of the client matching one of the ops by opId or by seq. */
export async function loadRecorded(
  db: Queryable,
  clientId: string,
  ops: readonly Operation[],
): Promise<RecordedOutcomes> {
  const rows = await db
    .select({ opId: appliedOps.opId, seq: appliedOps.seq, outcome: appliedOps.outcome })
    .from(appliedOps)
    .where(
      and(
        eq(appliedOps.clientId, clientId),
        or(
          sql`${appliedOps.opId} = any(${uuidArray(ops.map((op) => op.opId))})`,
          sql`${appliedOps.seq} = any(${bigintArray(ops.map((op) => op.seq))})`,
        ),
      ),
    );
  const recorded: RecordedOutcomes = { byOpId: new Map(), bySeq: new Map() };
  for (const row of rows) {
    const outcome = row.outcome as StoredOutcome;
    recorded.byOpId.set(row.opId, outcome);
    recorded.bySeq.set(Number(row.seq), outcome);
  }
  return recorded;
}

/** Remembers an outcome for the rest of the batch; {@link recordOutcomes} stores them. */
export function noteOutcome(recorded: RecordedOutcomes, op: Operation, outcome: StoredOutcome) {
  recorded.byOpId.set(op.opId, outcome);
  recorded.bySeq.set(op.seq, outcome);
}

/**
 * Stores the batch's new outcomes in one multi-row insert, the rows as one jsonb parameter
 * (cheaper to build than a parameter per cell; see entity-tables.ts upsertVersioned), and in
 * the same statement raises the client's high-water mark to `lastSeq` (P2). Without new
 * outcomes the mark cannot have moved, so nothing is sent.
 */
export async function recordOutcomes(
  db: Queryable,
  clientId: string,
  lastSeq: number,
  entries: readonly { readonly op: Operation; readonly outcome: StoredOutcome }[],
): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map(({ op, outcome }) => ({ op_id: op.opId, seq: op.seq, outcome }));
  await db.execute(
    sql`with recorded as (insert into ${appliedOps} (client_id, op_id, seq, outcome) select ${clientId}::uuid, op_id, seq, outcome from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(op_id uuid, seq bigint, outcome jsonb)) update ${clients} set last_seq = greatest(last_seq, ${lastSeq}::bigint) where client_id = ${clientId}::uuid`,
  );
}
