import type { Conflict, ErrorCode, Operation } from "@sync/protocol";
import { and, eq, inArray, or } from "drizzle-orm";
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
          inArray(
            appliedOps.opId,
            ops.map((op) => op.opId),
          ),
          inArray(
            appliedOps.seq,
            ops.map((op) => op.seq),
          ),
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

/** Stores the batch's new outcomes in one multi-row insert. */
export async function recordOutcomes(
  db: Queryable,
  entries: readonly { readonly op: Operation; readonly outcome: StoredOutcome }[],
): Promise<void> {
  if (entries.length === 0) return;
  await db.insert(appliedOps).values(
    entries.map(({ op, outcome }) => ({
      clientId: op.clientId,
      opId: op.opId,
      seq: op.seq,
      outcome,
    })),
  );
}
