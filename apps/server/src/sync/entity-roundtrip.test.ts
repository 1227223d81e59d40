import { sampleCreateFields, sampleValue } from "@sync/entities/testing";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../testing/harness.js";
import { availableBackends } from "../testing/test-database.js";
import { ENTITY_TABLES } from "./entity-tables.js";

// Push, pull, join and authorization for every client-writable entity a list owns, derived
// from its definition: registering a new entity's table puts it under these tests.
const owned = ENTITY_TABLES.filter(
  (t) => t.definition.clientWritable && t.definition.owner.kind === "field",
).map((t) => [t.definition.name, t.definition] as const);

describe.each(availableBackends())("every list-owned entity (%s)", (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(backend);
  });
  beforeEach(() => h.reset());
  afterAll(() => h.close());

  describe.each(owned)("%s", (name, definition) => {
    const editable = Object.entries(definition.fields).find(
      ([, spec]) => spec.merge === "lww" || spec.merge === "ask",
    );

    it("[A1] a member creates and edits it; members pull it; a joiner gets it; outsiders neither see nor write it", async () => {
      const alice = await h.signup("alice");
      const list = alice.createList();
      const id = uuidv7();
      const create = alice.op({
        entity: name,
        id,
        kind: "create",
        fields: sampleCreateFields(definition, list.id),
      });
      const pushed = await alice.push(list, create);
      expect(pushed.results.map((r) => r.status)).toEqual(["applied", "applied"]);
      const stored = pushed.results[1];
      // Server-assigned fields arrive with the push answer.
      for (const [field, spec] of Object.entries(definition.fields)) {
        if (spec.merge === "server" && definition.serverDefaults) {
          expect(stored?.status === "applied" && stored.row?.fields[field], field).toBeDefined();
        }
      }
      if (editable) {
        const [field, spec] = editable;
        const value = sampleValue(spec, list.id, "edited");
        const update = alice.op({ entity: name, id, kind: "update", fields: { [field]: value } });
        const base = stored?.status === "applied" ? stored.row?.clocks[field] : undefined;
        const edited = await alice.push(
          spec.merge === "ask" && base ? { ...update, base: { [field]: base } } : update,
        );
        expect(edited.results[0]).toMatchObject({ status: "applied" });
        const rows = (await alice.pullAll()).rows.filter((r) => r.entity === name);
        expect(rows.map((r) => r.fields[field])).toEqual([value]);
      }

      const mallory = await h.signup("mallory");
      expect((await mallory.pullAll()).rows.filter((r) => r.entity === name)).toEqual([]);
      const sneaky = mallory.op({ entity: name, id, kind: "delete" });
      const refused = await mallory.push(sneaky);
      expect(refused.results[0]).toMatchObject({ status: "rejected", code: "NOT_A_MEMBER" });
      const planted = mallory.op({
        entity: name,
        id: uuidv7(),
        kind: "create",
        fields: sampleCreateFields(definition, list.id),
      });
      expect((await mallory.push(planted)).results[0]).toMatchObject({ code: "NOT_A_MEMBER" });

      // Bob pulls first, then joins: his cursor is past the record, the join must bring it.
      const bob = await h.signup("bob");
      const { cursor } = await bob.pullAll();
      const listRow = (await alice.pullAll()).rows.find((r) => r.entity === "list");
      const code = String(listRow?.fields.inviteCode);
      expect((await bob.join(code)).status).toBe(200);
      const seen = (await bob.pullAll(cursor)).rows.filter((r) => r.entity === name);
      expect(seen.map((r) => r.id)).toEqual([id]);
      expect(seen[0]?.deleted).toBe(false);
    });
  });
});
