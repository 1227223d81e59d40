import { shareList } from "../fixtures/member.js";
import { expect, test } from "../fixtures/test.js";

test("[S14] an offline delete can be undone, and an item deleted on one phone stays deleted though the other edited it", async ({
  people,
}) => {
  const max = await people.signUp("max");
  const nia = await people.signUp("nia");
  await shareList(max, "Household", nia);
  const soap = await max.list.addItem("Soap");
  await max.list.inc(soap, 2);
  await max.list.addItem("Rice");
  await expect(nia.list.item("Rice")).toBeVisible();
  await max.status.expectSynced();
  await nia.status.expectSynced();

  // Delete and undo while offline: the item comes back with its latest fields.
  await max.network.goOffline();
  await max.list.delete(max.list.item("Soap"));
  await max.list.undoDelete("Soap");
  await expect(max.list.qty(max.list.item("Soap"))).toHaveText("3");
  await max.network.goOnline();
  await max.status.expectSynced();
  await expect(nia.list.qty(nia.list.item("Soap"))).toHaveText("3");

  // Delete on one replica, a later edit on the other: a delete is a tombstone, an edit does
  // not resurrect it, whichever arrives last.
  await max.network.goOffline();
  await nia.network.goOffline();
  const riceId = await max.list.idOf("Rice");
  await max.list.delete(max.list.item("Rice"));
  await nia.list.edit(nia.list.item("Rice"), "Brown rice");
  await max.network.goOnline();
  await max.status.expectSynced();
  await nia.network.goOnline();
  await nia.status.expectSynced();

  for (const person of [max, nia]) {
    await expect(person.list.itemById(riceId)).toHaveCount(0);
    await expect(person.list.item("Soap")).toBeVisible();
    await expect(person.list.items).toHaveCount(1);
  }
  const rice = (await max.api.rows()).find((row) => row.id === riceId);
  expect(rice?.deleted).toBe(true);
  expect((await nia.api.items()).map((row) => row.fields.text)).toEqual(["Soap"]);
});
