import {
  bigint,
  boolean,
  index,
  integer,
  pgSequence,
  pgTable,
  text,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { syncColumns } from "./sync-columns.js";

/**
 * The global change sequence: every row write takes `nextval` while holding the version
 * advisory lock, so versions become visible in order (rule C1, docs/protocol.md "Cursor").
 */
export const changeVersionSeq = pgSequence("change_version_seq", { startWith: 1 });

export const lists = pgTable(
  "lists",
  {
    ...syncColumns(),
    title: text("title").notNull(),
    inviteCode: text("invite_code").notNull().unique(),
    createdBy: uuid("created_by").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [index("lists_version_idx").on(t.version)],
);

export const items = pgTable(
  "items",
  {
    ...syncColumns(),
    listId: uuid("list_id").notNull(),
    text: text("text").notNull(),
    checked: boolean("checked").notNull(),
    qty: integer("qty").notNull(),
    createdBy: uuid("created_by").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    // Null on items stored before these were recorded (migration 0003): unknown, not the creator.
    changedBy: uuid("changed_by"),
    changedAt: bigint("changed_at", { mode: "number" }),
  },
  // (owner, version): pull reads each list's rows in version order (sync/pull-query.ts).
  (t) => [
    index("items_version_idx").on(t.version),
    index("items_list_id_version_idx").on(t.listId, t.version),
  ],
);

export const memberships = pgTable(
  "memberships",
  {
    ...syncColumns(),
    listId: uuid("list_id").notNull(),
    userId: uuid("user_id").notNull(),
    username: text("username").notNull(),
    joinedAt: bigint("joined_at", { mode: "number" }).notNull(),
  },
  (t) => [
    index("memberships_version_idx").on(t.version),
    index("memberships_list_id_version_idx").on(t.listId, t.version),
    index("memberships_user_id_idx").on(t.userId),
    unique("memberships_list_user_key").on(t.listId, t.userId),
  ],
);
