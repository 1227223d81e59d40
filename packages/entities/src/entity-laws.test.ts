import type { FieldMap, FieldValue, Operation } from "@sync/protocol";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Applied, applyOperation, type RecordState } from "./apply.js";
import type { EntityDefinition } from "./define.js";
import type { FieldSpec } from "./field.js";
import { shoppingSchema } from "./shopping.js";
import { validateOperation } from "./validate.js";

// Laws every client-writable entity of the schema obeys, whatever its fields: a new entity
// registered in the schema is covered here without writing a test for it.
const numRuns = Number(process.env.FC_NUM_RUNS ?? 200);
const writable = shoppingSchema.entities.filter((e) => e.clientWritable);
const uuid = "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c00";
const hlc = (wall: number, node = "aaaaaaaaaaa") =>
  `${wall.toString(36).padStart(9, "0")}0000${node}`;

function arbitraryValue(spec: FieldSpec): fc.Arbitrary<FieldValue> {
  switch (spec.type) {
    case "string":
      return fc.string({ minLength: spec.minLength ?? 0, maxLength: spec.maxLength ?? 50 });
    case "boolean":
      return fc.boolean();
    case "integer":
      return fc.integer({ min: spec.min ?? -1_000, max: spec.max ?? 1_000 });
    case "ref":
      return fc.constant(uuid);
    case "timestamp":
      return fc.nat();
  }
}

/** Arbitrary values for every field a client may send on create. */
function createFields(definition: EntityDefinition): fc.Arbitrary<FieldMap> {
  const record: Record<string, fc.Arbitrary<FieldValue>> = {};
  for (const [name, spec] of Object.entries(definition.fields)) {
    if (spec.merge !== "server") record[name] = arbitraryValue(spec);
  }
  return fc.record(record);
}

const editable = (d: EntityDefinition) =>
  Object.entries(d.fields).filter(([, s]) => s.merge === "lww" || s.merge === "ask");

let seq = 0;
function op(d: EntityDefinition, kind: Operation["kind"], fields: FieldMap, at: string): Operation {
  seq += 1;
  return {
    opId: `01936f3e-5c1a-7b2e-9c4d-${String(seq).padStart(12, "0")}`,
    clientId: "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c7d",
    seq,
    entity: d.name,
    id: "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c71",
    kind,
    fields,
    hlc: at,
  };
}

function ok(result: ReturnType<typeof applyOperation>): Applied {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result;
}

describe.each(writable.map((d) => [d.name, d] as const))("entity %s", (_name, definition) => {
  it("[E1] every create within the declared limits validates and applies", () => {
    fc.assert(
      fc.property(createFields(definition), (fields) => {
        const create = op(definition, "create", fields, hlc(1));
        expect(validateOperation(shoppingSchema, create)).toMatchObject({ ok: true });
        const state = ok(applyOperation(definition, undefined, create)).state;
        for (const [name, value] of Object.entries(fields)) expect(state.fields[name]).toBe(value);
      }),
      { numRuns },
    );
  });

  it("[E1] a text one character over its limit is rejected", () => {
    for (const [name, spec] of Object.entries(definition.fields)) {
      if (spec.type !== "string" || spec.merge === "server" || spec.maxLength === undefined) {
        continue;
      }
      const update = op(definition, "update", { [name]: "x".repeat(spec.maxLength + 1) }, hlc(2));
      expect(validateOperation(shoppingSchema, update), name).toMatchObject({
        ok: false,
        code: "VALIDATION",
      });
    }
  });

  it("[M2] two updates of an LWW field converge whatever their arrival order", () => {
    const fields = editable(definition).filter(([, spec]) => spec.merge === "lww");
    if (fields.length === 0) return;
    const edits = fc
      .constantFrom(...fields)
      .chain(([name, spec]) =>
        fc.record({ name: fc.constant(name), a: arbitraryValue(spec), b: arbitraryValue(spec) }),
      );
    fc.assert(
      fc.property(
        createFields(definition),
        edits,
        fc.nat(1_000),
        fc.nat(1_000),
        (initial, edit, wallA, wallB) => {
          const create = op(definition, "create", initial, hlc(1));
          const base = ok(applyOperation(definition, undefined, create)).state;
          const a = op(definition, "update", { [edit.name]: edit.a }, hlc(2 + wallA));
          const b = op(definition, "update", { [edit.name]: edit.b }, hlc(2 + wallB, "b"));
          const apply = (state: RecordState, o: Operation) =>
            ok(applyOperation(definition, state, o)).state;
          expect(apply(apply(base, a), b)).toEqual(apply(apply(base, b), a));
        },
      ),
      { numRuns },
    );
  });

  it("[M3] an ask field keeps the first of two concurrent writes and reports the second", () => {
    const fields = editable(definition).filter(([, spec]) => spec.merge === "ask");
    if (fields.length === 0) return;
    const edits = fc
      .constantFrom(...fields)
      .chain(([name, spec]) =>
        fc.record({ name: fc.constant(name), a: arbitraryValue(spec), b: arbitraryValue(spec) }),
      );
    fc.assert(
      fc.property(createFields(definition), edits, (initial, { name, a, b }) => {
        fc.pre(a !== b && a !== initial[name] && b !== initial[name]);
        const base = ok(
          applyOperation(definition, undefined, op(definition, "create", initial, hlc(1))),
        ).state;
        // Both writers saw the created value: that is what makes their edits concurrent.
        const edit = (value: FieldValue, at: string): Operation => ({
          ...op(definition, "update", { [name]: value }, at),
          base: { [name]: hlc(1) },
        });
        const first = ok(applyOperation(definition, base, edit(a, hlc(2))));
        const second = ok(applyOperation(definition, first.state, edit(b, hlc(3))));
        expect(first.conflicts).toEqual([]);
        expect(second.state.fields[name]).toBe(a);
        expect(second.conflicts).toMatchObject([{ field: name, serverValue: a, clientValue: b }]);
      }),
      { numRuns },
    );
  });

  it("[E1] fields the server assigns are refused from clients", () => {
    for (const [name, spec] of Object.entries(definition.fields)) {
      if (spec.merge !== "server") continue;
      const update = op(definition, "update", { [name]: null }, hlc(2));
      expect(validateOperation(shoppingSchema, update), name).toMatchObject({ ok: false });
    }
  });
});
