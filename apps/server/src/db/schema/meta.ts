import { sql } from "drizzle-orm";
import { bigint, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Small server-wide values, e.g. `gc_horizon`: the highest version tombstone GC removed. */
export const serverMeta = pgTable("server_meta", {
  key: text("key").primaryKey(),
  value: bigint("value", { mode: "number" }).notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().default(sql`now()`),
});
