import { defineEntity } from "./define.js";
import { field } from "./field.js";

/**
 * A note of a list. One definition drives validation and merge on client and server and
 * the server's authorization (membership of its list). Its table is
 * apps/server/src/db/schema/notes.ts: change both together, the server's entity-columns
 * test fails while they differ.
 */
export const note = defineEntity({
  name: "note",
  owner: { kind: "field", field: "listId" },
  clientWritable: true,
  fields: {
    listId: field.ref("list"),
    body: field.text({ merge: "ask", maxLength: 500 }),
    createdBy: field.serverRef("user"),
    createdAt: field.serverTime(),
  },
  label: "body",
  serverDefaults: (ctx) => ({ createdBy: ctx.userId, createdAt: ctx.now }),
  indexes: [["listId"]],
});
