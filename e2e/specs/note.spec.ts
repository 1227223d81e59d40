import { type People, shareList } from "../fixtures/member.js";
import { expect, test } from "../fixtures/test.js";

/** Ann and Ben share a list whose note reads `text` on both phones, both synced. */
async function sharedNote(people: People, text: string) {
  const ann = await people.signUp("ann");
  const ben = await people.signUp("ben");
  await shareList(ann, "Weekend", ben);
  await ann.note.write(text);
  await expect(ben.note.body).toHaveText(text);
  await ann.status.expectSynced();
  await ben.status.expectSynced();
  return { ann, ben };
}

test("[M3] both edit the list's note offline: whoever syncs second is asked, keeps their own text, and both phones agree", async ({
  people,
}) => {
  const { ann, ben } = await sharedNote(people, "Milk");

  await ann.network.goOffline();
  await ben.network.goOffline();
  await ann.note.write("Milk, eggs");
  await ben.note.write("Milk, bread");

  // Ann syncs first: her edit lands as it is.
  await ann.network.goOnline();
  await ann.status.expectSynced();
  // Ben syncs second: the server kept Ann's text, and Ben is shown both to choose.
  await ben.network.goOnline();
  await ben.status.expectSynced();
  const conflict = ben.conflicts.conflicts;
  await expect(conflict).toHaveCount(1);
  await expect(conflict).toContainText("Milk, eggs");
  await expect(conflict).toContainText("Milk, bread");
  await expect(ben.note.body).toHaveText("Milk, eggs");
  await expect(ann.conflicts.conflicts).toHaveCount(0);

  await ben.conflicts.keepMine(conflict);
  await expect(ben.conflicts.conflicts).toHaveCount(0);
  for (const person of [ann, ben]) {
    await person.status.expectSynced();
    await expect(person.note.body).toHaveText("Milk, bread");
    await expect(person.conflicts.conflicts).toHaveCount(0);
  }
  const [annNotes, benNotes] = [await ann.api.notes(), await ben.api.notes()];
  expect(annNotes.map((row) => row.fields.body)).toEqual(["Milk, bread"]);
  expect(benNotes).toEqual(annNotes);
});

test("[L9] a note saved over an edit that arrived while the editor was open asks instead of overwriting it", async ({
  people,
}) => {
  const { ann, ben } = await sharedNote(people, "Milk");

  await ann.note.startEditing();
  await ben.note.write("Milk, bread");
  await ben.status.expectSynced();
  // Ann's phone takes Ben's edit in behind her open editor (the hidden body follows the view),
  // so only what she saw when she opened it can tell the server she never saw his text.
  await expect(ann.note.body).toHaveText("Milk, bread");
  await ann.note.save("Milk, eggs");
  await ann.status.expectSynced();

  const conflict = ann.conflicts.conflicts;
  await expect(conflict).toHaveCount(1);
  await expect(conflict).toContainText("Milk, bread");
  await expect(conflict).toContainText("Milk, eggs");
  await expect(ann.note.body).toHaveText("Milk, bread");
  await expect(ben.conflicts.conflicts).toHaveCount(0);
  expect((await ben.api.notes()).map((row) => row.fields.body)).toEqual(["Milk, bread"]);
});
