import { shareList } from "../fixtures/member.js";
import { expect, test } from "../fixtures/test.js";

test("a checked item says who made its last change, on both phones", async ({ people }) => {
  const mum = await people.signUp("mum");
  const dad = await people.signUp("dad");
  await shareList(mum, "Family", dad);
  await mum.list.addItem("Bread");
  const changedBy = (person: typeof mum) =>
    person.list.item("Bread").getByTestId("item-changed-by");
  await expect(dad.list.item("Bread")).toBeVisible();
  // Nothing is said about an item nobody has checked.
  await expect(changedBy(mum)).toBeHidden();

  await dad.list.toggle(dad.list.item("Bread"));
  for (const person of [mum, dad]) {
    await expect(changedBy(person)).toHaveText(`changed by ${dad.username}`);
  }
});
