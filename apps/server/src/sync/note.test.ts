import type { PushResponse, Row } from "@sync/protocol";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHarness, type Harness, type TestClient } from "../testing/harness.js";
import { availableBackends } from "../testing/test-database.js";

const rowOf = (res: PushResponse, index = 0): Row | undefined => {
  const result = res.results[index];
  return result?.status === "applied" ? result.row : undefined;
};

describe.each(availableBackends())("list note (%s)", (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(backend);
  });
  beforeEach(() => h.reset());
  afterAll(() => h.close());

  /** Ann's list with Ben as a member. */
  async function shared(): Promise<{ ann: TestClient; ben: TestClient; listId: string }> {
    const ann = await h.signup("ann");
    const ben = await h.signup("ben");
    const list = ann.createList("Weekend");
    const code = rowOf(await ann.push(list))?.fields.inviteCode;
    expect((await ben.join(String(code))).status).toBe(200);
    return { ann, ben, listId: list.id };
  }

  const notes = async (who: TestClient) =>
    (await who.pullAll()).rows.filter((r) => r.entity === "note");

  it("[M3] both edit the note from the same version: the first lands, the second is asked, the choice converges", async () => {
    const { ann, ben, listId } = await shared();
    const created = rowOf(
      await ann.push(
        ann.op({ entity: "note", id: listId, kind: "create", fields: { listId, body: "Milk" } }),
      ),
    );
    expect(created?.fields).toMatchObject({ body: "Milk", createdBy: ann.userId });
    const saw = { body: String(created?.clocks.body) };

    const edit = (who: TestClient, body: string) =>
      who.op({ entity: "note", id: listId, kind: "update", fields: { body }, base: saw });
    const annEdit = edit(ann, "Milk, eggs");
    const benEdit = edit(ben, "Milk, bread");
    const first = await ann.push(annEdit);
    expect(first.results[0]).toMatchObject({ status: "applied" });
    expect(first.results[0]).not.toHaveProperty("conflicts");

    const second = await ben.push(benEdit);
    expect(second.results[0]).toMatchObject({
      status: "applied",
      conflicts: [
        {
          field: "body",
          serverValue: "Milk, eggs",
          clientValue: "Milk, bread",
          serverHlc: rowOf(first)?.clocks.body,
        },
      ],
    });
    expect(rowOf(second)?.fields.body).toBe("Milk, eggs");

    // Ben keeps his version: his new write names the clock of the value he was shown.
    const kept = await ben.push(
      ben.op({
        entity: "note",
        id: listId,
        kind: "update",
        fields: { body: "Milk, bread" },
        base: { body: String(rowOf(first)?.clocks.body) },
      }),
    );
    expect(kept.results[0]).not.toHaveProperty("conflicts");
    const [annView, benView] = [await notes(ann), await notes(ben)];
    expect(annView.map((r) => r.fields.body)).toEqual(["Milk, bread"]);
    expect(benView).toEqual(annView);
  });

  it("[M6] both start the note offline: one record per list, the later clock wins on every replica, whatever arrives first", async () => {
    const { ann, ben, listId } = await shared();
    const create = (who: TestClient, body: string) =>
      who.op({ entity: "note", id: listId, kind: "create", fields: { listId, body } });
    const annCreate = create(ann, "from Ann");
    const benCreate = create(ben, "from Ben");
    // Encoded HLCs sort as strings; both may share a millisecond, the node id then decides.
    const later = annCreate.hlc > benCreate.hlc ? "from Ann" : "from Ben";
    expect((await ben.push(benCreate)).results[0]).toMatchObject({ status: "applied" });
    expect((await ann.push(annCreate)).results[0]).toMatchObject({ status: "applied" });
    const annView = await notes(ann);
    expect(annView.map((r) => [r.id, r.fields.body])).toEqual([[listId, later]]);
    expect(await notes(ben)).toEqual(annView);
  });

  it("[A1] only members read or write a list's note", async () => {
    const { ann, listId } = await shared();
    await ann.push(
      ann.op({ entity: "note", id: listId, kind: "create", fields: { listId, body: "secret" } }),
    );
    const eve = await h.signup("eve");
    expect(await notes(eve)).toEqual([]);
    const write = eve.op({ entity: "note", id: listId, kind: "update", fields: { body: "x" } });
    expect((await eve.push(write)).results[0]).toMatchObject({ code: "NOT_A_MEMBER" });
  });
});
