import { sql } from "drizzle-orm";
import { bigint, boolean, jsonb, timestamp, uuid } from "drizzle-orm/pg-core";

/** Columns every synced entity table has besides its typed fields. */
export const syncColumns = () => ({
  id: uuid("id").primaryKey(),
  /** Field clocks (HLC per field, `$deleted` for the tombstone). */
  clocks: jsonb("clocks").$type<Record<string, string>>().notNull(),
  deleted: boolean("deleted").notNull().default(false),
  /** Change sequence of the latest write: the pull cursor. */
  version: bigint("version", { mode: "number" }).notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().default(sql`now()`),
});
