import { bigint, index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { syncColumns } from "./sync-columns.js";

/**
 * Table of the `note` entity (packages/entities/src/note.ts), written out so it reads
 * like any drizzle schema. src/db/schema/entity-columns.test.ts checks it against the definition.
 */
export const notes = pgTable(
  "notes",
  {
    ...syncColumns(),
    listId: uuid("list_id").notNull(),
    body: text("body").notNull(),
    createdBy: uuid("created_by").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [
    index("notes_version_idx").on(t.version),
    index("notes_list_id_version_idx").on(t.listId, t.version),
  ],
);
