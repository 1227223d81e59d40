import { LIMITS } from "@sync/protocol";
import { defineEntity } from "./define.js";
import { field } from "./field.js";

/**
 * The note of a list: one per list, its id is the list's id, so two people who start it offline
 * write the same record instead of two. The body asks the person: of two concurrent edits the
 * server keeps the first and the second writer decides in the conflict inbox. Its table is
 * apps/server/src/db/schema/notes.ts: change both together, the server's entity-columns
 * test fails while they differ.
 */
export const note = defineEntity({
  name: "note",
  owner: { kind: "field", field: "listId" },
  clientWritable: true,
  fields: {
    listId: field.ref("list"),
    body: field.text({ merge: "ask", maxLength: LIMITS.maxStringLength }),
    createdBy: field.serverRef("user"),
    createdAt: field.serverTime(),
  },
  serverDefaults: (ctx) => ({ createdBy: ctx.userId, createdAt: ctx.now }),
  indexes: [["listId"]],
});
