import type { Operation } from "@sync/protocol";
import { describe, expect, it } from "vitest";
import { applyOperation } from "./apply.js";
import { note } from "./note.js";
import { shoppingSchema } from "./shopping.js";
import { validateOperation } from "./validate.js";

const OWNER = "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c00";
const USER = "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c01";
const hlc = (wall: number) => `${wall.toString(36).padStart(9, "0")}0000aaaaaaaaaaa`;

function op(
  kind: Operation["kind"],
  fields: Operation["fields"],
  extra: Partial<Operation> = {},
): Operation {
  return {
    opId: "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c70",
    clientId: "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c7d",
    seq: 1,
    entity: "note",
    id: "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c71",
    kind,
    fields,
    hlc: hlc(1),
    ...extra,
  };
}

function applied(result: ReturnType<typeof applyOperation>) {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result;
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

  it("[E1] the body may be emptied and holds up to the protocol's string limit", () => {
    expect(codeOf(op("update", { body: "" }))).toBe("ok");
    expect(codeOf(op("update", { body: "x".repeat(2_000) }))).toBe("ok");
    expect(codeOf(op("update", { body: "x".repeat(2_001) }))).toBe("VALIDATION");
  });

  it("[M3] Ann and Ben edit the note offline: Ann's edit lands, Ben is asked, his choice then wins", () => {
    const created = applied(
      applyOperation(note, undefined, op("create", { listId: OWNER, body: "Milk" })),
    ).state;
    const saw = { base: { body: hlc(1) } };
    const ann = applied(
      applyOperation(note, created, op("update", { body: "Milk, eggs" }, { hlc: hlc(2), ...saw })),
    );
    expect(ann.conflicts).toEqual([]);
    const ben = applied(
      applyOperation(
        note,
        ann.state,
        op("update", { body: "Milk, bread" }, { hlc: hlc(3), ...saw }),
      ),
    );
    expect(ben.state.fields.body).toBe("Milk, eggs");
    expect(ben.conflicts).toMatchObject([
      { field: "body", serverValue: "Milk, eggs", serverHlc: hlc(2), clientValue: "Milk, bread" },
    ]);
    // Ben keeps his: the new write names the clock of the value he was shown.
    const kept = applied(
      applyOperation(
        note,
        ben.state,
        op("update", { body: "Milk, bread" }, { hlc: hlc(4), base: { body: hlc(2) } }),
      ),
    );
    expect(kept.conflicts).toEqual([]);
    expect(kept.state.fields.body).toBe("Milk, bread");
  });

  it("[M6] two people who start the note offline write one record (id = list id): the later body wins", () => {
    const first = op("create", { listId: OWNER, body: "from Ann" }, { id: OWNER, hlc: hlc(2) });
    const second = op("create", { listId: OWNER, body: "from Ben" }, { id: OWNER, hlc: hlc(3) });
    const ab = applied(
      applyOperation(note, applied(applyOperation(note, undefined, first)).state, second),
    );
    const ba = applied(
      applyOperation(note, applied(applyOperation(note, undefined, second)).state, first),
    );
    expect(ab.state.fields.body).toBe("from Ben");
    expect(ba.state).toEqual(ab.state);
  });
});
