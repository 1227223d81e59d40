import { sql } from "drizzle-orm";
import { bigint, index, jsonb, pgTable, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { users } from "./users.js";

/** A sync client (one device or browser profile). Its row is locked for the whole push. */
export const clients = pgTable(
  "clients",
  {
    clientId: uuid("client_id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Highest operation seq recorded for this client (applied or rejected). */
    lastSeq: bigint("last_seq", { mode: "number" }).notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [index("clients_user_id_idx").on(t.userId)],
);

/** Every operation the server has seen once, with what it did: the deduplication log. */
export const appliedOps = pgTable(
  "applied_ops",
  {
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.clientId, { onDelete: "cascade" }),
    opId: uuid("op_id").notNull(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    outcome: jsonb("outcome").notNull(),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [
    unique("applied_ops_client_op_key").on(t.clientId, t.opId),
    unique("applied_ops_client_seq_key").on(t.clientId, t.seq),
  ],
);
