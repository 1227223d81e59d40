import type { Operation } from "@sync/protocol";
import { describe, expect, it } from "vitest";
import { applyOperation } from "./apply.js";
import { note } from "./note.js";
import { shoppingSchema } from "./shopping.js";
import { validateOperation } from "./validate.js";

const OWNER = "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c00";
const USER = "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c01";
const hlc = (wall: number) => `${wall.toString(36).padStart(9, "0")}0000aaaaaaaaaaa`;

function op(kind: Operation["kind"], fields: Operation["fields"]): Operation {
  return {
    opId: "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c70",
    clientId: "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c7d",
    seq: 1,
    entity: "note",
    id: "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c71",
    kind,
    fields,
    hlc: hlc(1),
  };
}

const codeOf = (candidate: Operation) => {
  const result = validateOperation(shoppingSchema, candidate);
  return result.ok ? "ok" : result.code;
};

describe("note", () => {
  it("[E1] a create with its list and required fields is valid", () => {
    expect(codeOf(op("create", { listId: OWNER, body: "Hello" }))).toBe("ok");
  });

  it("[E1] a create without its list is refused", () => {
    expect(codeOf(op("create", { body: "Hello" }))).toBe("VALIDATION");
  });

  it("[E1] unknown and server-assigned fields are refused", () => {
    expect(codeOf(op("update", { nope: 1 }))).toBe("UNKNOWN_FIELD");
    expect(codeOf(op("update", { createdBy: USER }))).toBe("READ_ONLY_FIELD");
  });

  it("[M1] a create records who made it and when", () => {
    const result = applyOperation(note, undefined, op("create", { listId: OWNER, body: "Hello" }), {
      serverValues: { createdBy: USER, createdAt: 5 },
    });
    expect(result.ok && result.state.fields).toMatchObject({ createdBy: USER, createdAt: 5 });
  });

  it("[E1] body can be updated", () => {
    expect(codeOf(op("update", { body: "Hello" }))).toBe("ok");
  });
});
