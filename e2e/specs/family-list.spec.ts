import { shareList } from "../fixtures/member.js";
import { expect, test } from "../fixtures/test.js";

test("[S3] the family list: offline additions, a check-off and a removal by two people all show up on both phones", async ({
  people,
}) => {
  const mum = await people.signUp("mum");
  const dad = await people.signUp("dad");
  await shareList(mum, "Family", dad);
  await mum.list.addItem("Bread");
  await mum.list.addItem("Butter");
  await expect(dad.list.item("Butter")).toBeVisible();
  await mum.status.expectSynced();
  await dad.status.expectSynced();

  await mum.network.goOffline();
  await dad.network.goOffline();
  await mum.list.addItem("Milk");
  await mum.list.toggle(mum.list.item("Bread"));
  await dad.list.addItem("Eggs");
  await dad.list.delete(dad.list.item("Butter"));

  await mum.network.goOnline();
  await dad.network.goOnline();
  for (const person of [mum, dad]) {
    await person.status.expectSynced();
    await expect(person.list.item("Milk")).toBeVisible();
    await expect(person.list.item("Eggs")).toBeVisible();
    await expect(person.list.checkbox(person.list.item("Bread"))).toBeChecked();
    await expect(person.list.item("Butter")).toHaveCount(0);
    await expect(person.list.items).toHaveCount(3);
  }
  const texts = (await mum.api.items()).map((row) => row.fields.text).sort();
  expect(texts).toEqual(["Bread", "Eggs", "Milk"]);
});
