import type { Page } from "@playwright/test";
import { shareList } from "../fixtures/member.js";
import { expect, test } from "../fixtures/test.js";

function countPushes(page: Page): { readonly count: () => number } {
  let count = 0;
  page.on("request", (request) => {
    if (request.url().endsWith("/api/sync/push") && request.method() === "POST") count += 1;
  });
  return { count: () => count };
}

test("[S11] with two tabs open only one talks to the server, both show every change, and closing it hands over", async ({
  people,
}) => {
  const jo = await people.signUp("jo");
  await shareList(jo, "Groceries");
  const first = jo;
  const second = await jo.openTab();
  await second.lists.openList("Groceries");
  const pushes = new Map([
    [first.page, countPushes(first.page)],
    [second.page, countPushes(second.page)],
  ]);

  await first.list.addItem("Pasta");
  await second.list.addItem("Pesto");
  await second.list.toggle(second.list.item("Pasta"));
  await first.list.inc(first.list.item("Pesto"));
  for (const tab of [first, second]) {
    await tab.status.expectSynced();
    await expect(tab.list.checkbox(tab.list.item("Pasta"))).toBeChecked();
    await expect(tab.list.qty(tab.list.item("Pesto"))).toHaveText("2");
  }

  const counts = [...pushes.values()].map((p) => p.count());
  expect(counts.filter((n) => n > 0)).toHaveLength(1);
  const leader = (pushes.get(first.page)?.count() ?? 0) > 0 ? first : second;
  const follower = leader === first ? second : first;
  const followerPushes = pushes.get(follower.page);
  expect(followerPushes?.count()).toBe(0);

  await leader.page.close();
  await follower.list.addItem("Parmesan");
  await follower.status.expectSynced();
  expect(followerPushes?.count()).toBeGreaterThan(0);
  const items = await jo.api.items();
  expect(items.map((row) => row.fields.text).sort()).toEqual(["Parmesan", "Pasta", "Pesto"]);
});
