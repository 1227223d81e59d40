import { shareList } from "../fixtures/member.js";
import { expect, test } from "../fixtures/test.js";

/** What the issue promises: another member's change shows up within a second, no reload. */
const REALTIME = { timeout: 1_000 };

test("[S10] with both online, a change by one member appears on the other's screen within a second", async ({
  people,
}) => {
  const hal = await people.signUp("hal");
  const ivy = await people.signUp("ivy");
  await shareList(hal, "Picnic", ivy);
  // First change: both apps have just opened; this also proves their streams are connected.
  await hal.list.addItem("Plates");
  await expect(ivy.list.item("Plates")).toBeVisible();
  await ivy.status.expectSynced();

  await hal.list.addItem("Lemonade");
  await expect(ivy.list.item("Lemonade")).toBeVisible(REALTIME);

  await ivy.list.toggle(ivy.list.item("Plates"));
  await expect(hal.list.checkbox(hal.list.item("Plates"))).toBeChecked(REALTIME);

  await hal.list.inc(hal.list.item("Lemonade"));
  await expect(ivy.list.qty(ivy.list.item("Lemonade"))).toHaveText("2", REALTIME);

  await ivy.list.edit(ivy.list.item("Lemonade"), "Pink lemonade");
  await expect(hal.list.item("Pink lemonade")).toBeVisible(REALTIME);

  await hal.list.delete(hal.list.item("Plates"));
  await expect(ivy.list.item("Plates")).toHaveCount(0, REALTIME);
});
