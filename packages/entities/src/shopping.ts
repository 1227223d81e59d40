import { LIMITS } from "@sync/protocol";
import { defineEntity } from "./define.js";
import { field } from "./field.js";
import { note } from "./note.js";
import { defineSchema } from "./schema.js";

/** A shared shopping list. Its id is the membership scope of everything in it. */
export const list = defineEntity({
  name: "list",
  owner: { kind: "root" },
  clientWritable: true,
  fields: {
    // Renaming a shared list is rare and deliberate: a concurrent rename asks the person.
    title: field.text({ merge: "ask", minLength: 1, maxLength: 200 }),
    inviteCode: field.serverText({ maxLength: LIMITS.inviteCodeLength }),
    createdBy: field.serverRef("user"),
    createdAt: field.serverTime(),
  },
  label: "title",
  serverDefaults: (ctx) => ({
    inviteCode: ctx.randomCode(),
    createdBy: ctx.userId,
    createdAt: ctx.now,
  }),
});

/** One line of a list. Items sort by id: UUIDv7 ids are time-ordered at creation. */
export const item = defineEntity({
  name: "item",
  owner: { kind: "field", field: "listId" },
  clientWritable: true,
  fields: {
    listId: field.ref("list"),
    text: field.text({ minLength: 1, maxLength: 500 }),
    checked: field.boolean({ default: false }),
    qty: field.counter({ min: 0, max: 9_999, default: 1 }),
    createdBy: field.serverRef("user"),
    createdAt: field.serverTime(),
    // Who last changed the item and when. Null on items stored before these were recorded.
    changedBy: field.serverRef("user", { nullable: true }),
    changedAt: field.serverTime({ nullable: true }),
  },
  label: "text",
  serverDefaults: (ctx) => ({ createdBy: ctx.userId, createdAt: ctx.now }),
  serverOnChange: (ctx) => ({ changedBy: ctx.userId, changedAt: ctx.now }),
  indexes: [["listId"]],
});

/** Who may see a list. Written by the server only (create a list, join by invite code). */
export const membership = defineEntity({
  name: "membership",
  owner: { kind: "field", field: "listId" },
  clientWritable: false,
  fields: {
    listId: field.serverRef("list"),
    userId: field.serverRef("user"),
    username: field.serverText({ maxLength: LIMITS.maxUsernameLength }),
    joinedAt: field.serverTime(),
  },
  label: "username",
  indexes: [["listId"], ["userId"]],
});

export const shoppingSchema = defineSchema([list, item, membership, note]);
