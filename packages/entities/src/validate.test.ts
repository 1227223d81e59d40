import type { Operation } from "@sync/protocol";
import { describe, expect, it } from "vitest";
import { shoppingSchema } from "./shopping.js";
import { validateOperation } from "./validate.js";

const hlc = "m3x9k2a1b0001abcdefghijk";
const listId = "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c00";

function op(overrides: Partial<Operation>): Operation {
  return {
    opId: "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c70",
    clientId: "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c7d",
    seq: 1,
    entity: "item",
    id: "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c71",
    kind: "update",
    fields: { text: "Milk" },
    hlc,
    ...overrides,
  };
}

const codeOf = (candidate: Operation) => {
  const result = validateOperation(shoppingSchema, candidate);
  return result.ok ? "ok" : result.code;
};

describe("validateOperation", () => {
  it("[E1] accepts well-formed operations of every kind", () => {
    expect(codeOf(op({ kind: "create", fields: { listId, text: "Milk" } }))).toBe("ok");
    expect(
      codeOf(op({ kind: "create", fields: { listId, text: "Milk", qty: 3, checked: true } })),
    ).toBe("ok");
    expect(codeOf(op({ kind: "update", fields: { checked: true } }))).toBe("ok");
    expect(codeOf(op({ kind: "increment", fields: { qty: -1 } }))).toBe("ok");
    expect(codeOf(op({ kind: "delete", fields: {} }))).toBe("ok");
    expect(codeOf(op({ kind: "restore", fields: {} }))).toBe("ok");
    expect(
      codeOf(
        op({
          entity: "list",
          kind: "update",
          fields: { title: "Groceries" },
          base: { title: hlc },
        }),
      ),
    ).toBe("ok");
  });

  it.each<[string, Partial<Operation>, string]>([
    ["an unknown entity", { entity: "invoice" }, "UNKNOWN_ENTITY"],
    ["a server-owned entity", { entity: "membership", kind: "create", fields: {} }, "SERVER_OWNED"],
    ["an unknown field", { fields: { price: 3 } }, "UNKNOWN_FIELD"],
    ["a prototype field name", { fields: { constructor: "x" } }, "UNKNOWN_FIELD"],
    [
      "a server-assigned field on create",
      { kind: "create", fields: { listId, text: "a", createdAt: 1 } },
      "READ_ONLY_FIELD",
    ],
    ["a server-assigned field on update", { fields: { createdBy: listId } }, "READ_ONLY_FIELD"],
    [
      "a field the server sets on every change, on create",
      { kind: "create", fields: { listId, text: "a", changedBy: listId } },
      "READ_ONLY_FIELD",
    ],
    ["a field the server sets on every change", { fields: { changedAt: 1 } }, "READ_ONLY_FIELD"],
    ["clearing a nullable server field", { fields: { changedBy: null } }, "READ_ONLY_FIELD"],
    [
      "incrementing a server timestamp",
      { kind: "increment", fields: { changedAt: 1 } },
      "VALIDATION",
    ],
    ["moving an item to another list", { fields: { listId } }, "READ_ONLY_FIELD"],
    ["a create without its required text", { kind: "create", fields: { listId } }, "VALIDATION"],
    ["a create without its owner", { kind: "create", fields: { text: "Milk" } }, "VALIDATION"],
    [
      "an owner that is not a uuid",
      { kind: "create", fields: { listId: "1 OR 1=1", text: "x" } },
      "VALIDATION",
    ],
    ["an empty text", { fields: { text: "" } }, "VALIDATION"],
    ["a text over its limit", { fields: { text: "x".repeat(501) } }, "VALIDATION"],
    ["a string for a boolean", { fields: { checked: "yes" } }, "VALIDATION"],
    ["a null for a non-nullable field", { fields: { checked: null } }, "VALIDATION"],
    ["an absolute value for a counter", { fields: { qty: 5 } }, "VALIDATION"],
    ["an increment of a plain field", { kind: "increment", fields: { text: 1 } }, "VALIDATION"],
    ["a zero increment", { kind: "increment", fields: { qty: 0 } }, "VALIDATION"],
    ["a fractional increment", { kind: "increment", fields: { qty: 0.5 } }, "VALIDATION"],
    ["a huge increment", { kind: "increment", fields: { qty: 10_000_000 } }, "VALIDATION"],
    ["an empty update", { fields: {} }, "VALIDATION"],
    ["a delete with fields", { kind: "delete", fields: { text: "x" } }, "VALIDATION"],
    ["a base clock for an lww field", { fields: { text: "x" }, base: { text: hlc } }, "VALIDATION"],
  ])("[E1] rejects %s", (_name, overrides, code) => {
    expect(codeOf(op(overrides))).toBe(code);
  });
});
