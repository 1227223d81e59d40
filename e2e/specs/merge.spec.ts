import { shareList } from "../fixtures/member.js";
import { expect, test } from "../fixtures/test.js";

test("[S4] one person renames an item while the other checks it off, both offline: both changes survive", async ({
  people,
}) => {
  const ann = await people.signUp("ann");
  const ben = await people.signUp("ben");
  await shareList(ann, "Weekend", ben);
  await ann.list.addItem("Apples");
  await expect(ben.list.item("Apples")).toBeVisible();
  await ben.status.expectSynced();

  await ann.network.goOffline();
  await ben.network.goOffline();
  await ann.list.edit(ann.list.item("Apples"), "Green apples");
  await ben.list.toggle(ben.list.item("Apples"));
  await ann.network.goOnline();
  await ben.network.goOnline();

  for (const person of [ann, ben]) {
    await person.status.expectSynced();
    const item = person.list.item("Green apples");
    await expect(item).toBeVisible();
    await expect(person.list.checkbox(item)).toBeChecked();
    await expect(person.list.items).toHaveCount(1);
  }
  const [row] = await ann.api.items("Green apples");
  expect(row?.fields.checked).toBe(true);
});

test("[S5] both rename the same item offline: both phones show the later rename, even when it reaches the server first", async ({
  people,
}) => {
  const ann = await people.signUp("ann");
  const ben = await people.signUp("ben");
  await shareList(ann, "Tea party", ben);
  await ann.list.addItem("Tea");
  await expect(ben.list.item("Tea")).toBeVisible();
  await ben.status.expectSynced();

  await ann.network.goOffline();
  await ben.network.goOffline();
  await ann.list.edit(ann.list.item("Tea"), "Green tea");
  // Ben renames after Ann did: his write carries the later hybrid logical clock.
  await ben.list.edit(ben.list.item("Tea"), "Black tea");

  // Ben's later write arrives first, Ann's earlier one last: arrival order must not decide.
  await ben.network.goOnline();
  await ben.status.expectSynced();
  await ann.network.goOnline();
  await ann.status.expectSynced();

  for (const person of [ann, ben]) {
    await expect(person.list.item("Black tea")).toBeVisible();
    await expect(person.list.items).toHaveCount(1);
  }
  expect((await ann.api.items()).map((row) => row.fields.text)).toEqual(["Black tea"]);
});

test("[S6] both raise the same item's quantity offline (+2 and +3): every phone shows it 5 higher", async ({
  people,
}) => {
  const ann = await people.signUp("ann");
  const ben = await people.signUp("ben");
  await shareList(ann, "Baking", ben);
  const eggs = await ann.list.addItem("Eggs");
  await expect(ann.list.qty(eggs)).toHaveText("1");
  await expect(ben.list.item("Eggs")).toBeVisible();
  await ben.status.expectSynced();

  await ann.network.goOffline();
  await ben.network.goOffline();
  await ann.list.inc(ann.list.item("Eggs"), 2);
  await ben.list.inc(ben.list.item("Eggs"), 3);
  await ann.network.goOnline();
  await ben.network.goOnline();

  for (const person of [ann, ben]) {
    await person.status.expectSynced();
    await expect(person.list.qty(person.list.item("Eggs"))).toHaveText("6");
  }
  const [row] = await ben.api.items("Eggs");
  expect(row?.fields.qty).toBe(6);
});
