import type { Operation } from "@sync/protocol";
import { describe, expect, it } from "vitest";
import { defineEntity, type ServerContext } from "./define.js";
import { field } from "./field.js";
import { defineSchema } from "./schema.js";
import { list, shoppingSchema } from "./shopping.js";
import { sampleCreateFields } from "./testing/index.js";
import { validateOperation } from "./validate.js";

const NOTE_FIELDS = { listId: field.ref("list"), body: field.text({ maxLength: 100 }) };
const note = (overrides: object) => () =>
  defineEntity({
    name: "note",
    owner: { kind: "field", field: "listId" },
    clientWritable: true,
    fields: NOTE_FIELDS,
    ...overrides,
  });

describe("defineEntity", () => {
  it("[D2] accepts a well-formed definition as it is", () => {
    const definition = note({ indexes: [["listId"]], label: "body" })();
    expect(definition.name).toBe("note");
    expect(defineSchema([list, definition]).get("note")).toBe(definition);
  });

  it("[D2] accepts server fields set on every change", () => {
    const definition = note({
      fields: { ...NOTE_FIELDS, changedBy: field.serverRef("user", { nullable: true }) },
      serverOnChange: (ctx: ServerContext) => ({ changedBy: ctx.userId }),
    })();
    expect(definition.serverOnChange).toBeDefined();
  });

  it.each<[string, object, RegExp]>([
    ["a name that is not lower camelCase", { name: "Note_1" }, /lower camelCase/],
    ["an owner field that is not a ref", { owner: { kind: "field", field: "body" } }, /ref/],
    ["an owner field it does not have", { owner: { kind: "field", field: "x" } }, /ref/],
    ["an index over an unknown field", { indexes: [["nope"]] }, /index \[nope\]/],
    ["an empty index", { indexes: [[]] }, /index/],
    ["a label that is not text", { label: "listId" }, /label/],
    [
      "a text longer than the protocol allows",
      { fields: { listId: field.ref("list"), body: field.text({ maxLength: 1_000_000 }) } },
      /maxLength/,
    ],
    [
      "serverDefaults that set a field the client writes",
      { serverDefaults: () => ({ body: "x" }) },
      /serverDefaults sets body, which is not a server field/,
    ],
    [
      "serverOnChange that sets a field the client writes",
      { serverOnChange: () => ({ body: "x" }) },
      /serverOnChange sets body, which is not a server field/,
    ],
    [
      "serverOnChange that sets a field the entity does not have",
      { serverOnChange: (ctx: ServerContext) => ({ changedBy: ctx.userId }) },
      /serverOnChange sets changedBy/,
    ],
    [
      "serverOnChange that gives a field a value of the wrong type",
      {
        fields: { ...NOTE_FIELDS, changedAt: field.serverTime() },
        serverOnChange: (ctx: ServerContext) => ({ changedAt: ctx.userId }),
      },
      /changedAt a value that is not a valid timestamp/,
    ],
    [
      "a field set both at create and on every change",
      {
        fields: { ...NOTE_FIELDS, changedBy: field.serverRef("user") },
        serverDefaults: (ctx: ServerContext) => ({ changedBy: ctx.userId }),
        serverOnChange: (ctx: ServerContext) => ({ changedBy: ctx.userId }),
      },
      /changedBy is set by both serverDefaults and serverOnChange/,
    ],
  ])("[D2] refuses %s when the module loads", (_name, overrides, message) => {
    expect(note(overrides)).toThrow(message);
  });
});

describe("defineSchema", () => {
  it("[D2] refuses an owner that is not a root entity", () => {
    const child = note({})();
    const grandchild = defineEntity({
      name: "comment",
      owner: { kind: "field", field: "noteId" },
      clientWritable: true,
      fields: { noteId: field.ref("note"), text: field.text({ maxLength: 10 }) },
    });
    expect(() => defineSchema([list, child, grandchild])).toThrow(/root entity/);
  });

  it("[D2] refuses a ref to an entity the schema does not have, and a name defined twice", () => {
    expect(() => defineSchema([note({})()])).toThrow(/root entity/);
    expect(() => defineSchema([list, list])).toThrow(/defined twice/);
  });
});

describe("sampleCreateFields", () => {
  it("[E1] gives every writable entity of the schema a create that validates", () => {
    for (const definition of shoppingSchema.entities.filter((e) => e.clientWritable)) {
      const op: Operation = {
        opId: "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c70",
        clientId: "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c7d",
        seq: 1,
        entity: definition.name,
        id: "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c71",
        kind: "create",
        fields: sampleCreateFields(definition, "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c00"),
        hlc: "m3x9k2a1b0001abcdefghijk",
      };
      expect(validateOperation(shoppingSchema, op), definition.name).toMatchObject({ ok: true });
    }
  });
});
