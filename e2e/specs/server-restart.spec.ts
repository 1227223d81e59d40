import { shareList } from "../fixtures/member.js";
import { expect, test } from "../fixtures/test.js";

// Stops the server mid-test, so it gets one of its own.
test.use({ dedicatedServer: true });

test("[S12] changes made while the server is down stay pending and land once each when it is back", async ({
  people,
  server,
}) => {
  const kim = await people.signUp("kim");
  await shareList(kim, "Bakery");
  await kim.status.expectSynced();

  await server.stop();
  const flour = await kim.list.addItem("Flour");
  await kim.list.inc(flour);
  await kim.list.addItem("Yeast");
  await kim.status.expectPending(3);
  await expect(kim.status.state()).not.toHaveAttribute("data-state", "synced");

  await server.start();
  await expect(kim.status.state()).toHaveAttribute("data-state", "synced", { timeout: 45_000 });
  await kim.status.expectPending(0);
  const items = await kim.api.items();
  expect(items.map((row) => [row.fields.text, row.fields.qty]).sort()).toEqual([
    ["Flour", 2],
    ["Yeast", 1],
  ]);
});
