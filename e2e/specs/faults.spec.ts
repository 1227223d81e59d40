import type { Route } from "@playwright/test";
import { PASSWORD, shareList } from "../fixtures/member.js";
import { expect, test } from "../fixtures/test.js";

const PUSH = "**/api/sync/push";

function errorBody(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

test("[S7] while the server answers 503 and drops the connection, the list stays usable and every change lands once", async ({
  people,
}) => {
  const eve = await people.signUp("eve");
  await shareList(eve, "Camping");

  let faults = 0;
  await eve.context.route(PUSH, async (route: Route) => {
    faults += 1;
    if (faults <= 3) {
      await route.fulfill({
        status: 503,
        contentType: "application/json",
        body: errorBody("UNAVAILABLE", "try again later"),
      });
    } else if (faults === 4) {
      // The server applies this push, but the answer never reaches the app: the retry must
      // be recognised as a duplicate, not applied twice.
      await route.fetch();
      await route.abort("connectionreset");
    } else {
      await route.continue();
    }
  });

  const coffee = await eve.list.addItem("Coffee");
  await expect.poll(() => faults).toBeGreaterThanOrEqual(1);
  // Still usable while the pushes fail: every change shows at once.
  await eve.list.inc(coffee, 2);
  await eve.list.addItem("Sugar");
  await eve.list.addItem("Matches");
  await expect(eve.list.qty(coffee)).toHaveText("3");

  await expect(eve.status.state()).toHaveAttribute("data-state", "synced", { timeout: 45_000 });
  await eve.status.expectPending(0);
  expect(faults).toBeGreaterThan(4);

  const items = await eve.api.items();
  expect(items.map((row) => row.fields.text).sort()).toEqual(["Coffee", "Matches", "Sugar"]);
  expect(items.find((row) => row.fields.text === "Coffee")?.fields.qty).toBe(3);
});

test("[S8] a change the server refuses shows in the dead-letter panel, is undone on screen, and retry or discard settle it", async ({
  people,
}) => {
  const fay = await people.signUp("fay");
  await shareList(fay, "Party");
  await fay.list.addItem("Bread");
  await fay.status.expectSynced();

  // Make two creates invalid on the wire (a field the entity does not have): the server
  // rejects exactly those operations and applies the rest of the batch.
  const poisoned = new Set(["Poison", "Venom"]);
  let poisoning = true;
  await fay.context.route(PUSH, async (route) => {
    // Rewriting needs JSON: refuse the compact encoding as a server from before it would, and
    // the client sends the same batch as JSON (its rule L22).
    if (poisoning && route.request().headers()["content-type"]?.includes("+msgpack")) {
      return route.fulfill({
        status: 415,
        contentType: "application/json",
        body: JSON.stringify({
          error: {
            code: "UNSUPPORTED_MEDIA_TYPE",
            message: "expected Content-Type: application/json",
          },
        }),
      });
    }
    const body = route.request().postDataJSON() as {
      ops: { entity: string; kind: string; fields: Record<string, unknown> }[];
    };
    if (!poisoning) return route.continue();
    const ops = body.ops.map((op) =>
      op.entity === "item" && op.kind === "create" && poisoned.has(String(op.fields.text))
        ? { ...op, fields: { ...op.fields, colour: "red" } }
        : op,
    );
    await route.continue({ postData: JSON.stringify({ ...body, ops }) });
  });

  await fay.network.goOffline();
  await fay.list.addItem("Poison");
  await fay.list.addItem("Venom");
  await fay.list.addItem("Jam");
  await fay.list.toggle(fay.list.item("Bread"));
  await fay.network.goOnline();

  const deadLetters = fay.page.getByTestId("dead-letter");
  await expect(deadLetters).toHaveCount(2);
  await expect(fay.page.getByTestId("notice").first()).toBeVisible();
  // Rolled back on screen; the operations behind them synced.
  await expect(fay.list.item("Poison")).toHaveCount(0);
  await expect(fay.list.item("Venom")).toHaveCount(0);
  await expect(fay.list.item("Jam")).toBeVisible();
  await expect(fay.list.checkbox(fay.list.item("Bread"))).toBeChecked();
  await fay.status.expectPending(0);
  expect((await fay.api.items()).map((row) => row.fields.text).sort()).toEqual(["Bread", "Jam"]);

  poisoning = false;
  await deadLetters.filter({ hasText: "Poison" }).getByTestId("dead-letter-retry").click();
  await expect(fay.list.item("Poison")).toBeVisible();
  await deadLetters.filter({ hasText: "Venom" }).getByTestId("dead-letter-discard").click();
  await expect(deadLetters).toHaveCount(0);
  await fay.status.expectSynced();
  await expect(fay.list.item("Venom")).toHaveCount(0);
  expect((await fay.api.items()).map((row) => row.fields.text).sort()).toEqual([
    "Bread",
    "Jam",
    "Poison",
  ]);
});

test("[S9] when the session expires the app says so, keeps every change, and syncs them after signing in again", async ({
  people,
}) => {
  const gus = await people.signUp("gus");
  await shareList(gus, "Hardware");
  await gus.status.expectSynced();

  await gus.context.route(PUSH, (route) =>
    route.fulfill({
      status: 401,
      contentType: "application/json",
      body: errorBody("UNAUTHORIZED", "session expired"),
    }),
  );
  await gus.list.addItem("Nails");
  await gus.status.expectState("signed-out");
  await gus.status.expectPending(1);
  await expect(gus.page.getByTestId("dead-letter")).toHaveCount(0);

  await gus.context.unroute(PUSH);
  await gus.auth.signIn(gus.username, PASSWORD);
  await gus.lists.openList("Hardware");
  await expect(gus.list.item("Nails")).toBeVisible();
  await gus.status.expectSynced();
  expect(await gus.api.items("Nails")).toHaveLength(1);
});
