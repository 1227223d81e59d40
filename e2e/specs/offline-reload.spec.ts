import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "@playwright/test";
import { appPage, PASSWORD, shareList } from "../fixtures/member.js";
import { waitForServiceWorker } from "../fixtures/service-worker.js";
import { expect, test } from "../fixtures/test.js";
import { serverApi, uniqueUsername } from "../support/api.js";
import { launchOptions } from "../support/browser.js";

test("[S1] an item added offline is still there after an offline reload, then syncs and the other member sees it", async ({
  people,
}) => {
  const alice = await people.signUp("alice");
  const bob = await people.signUp("bob");
  await shareList(alice, "Groceries", bob);

  await alice.network.goOffline();
  await alice.status.expectState("offline");
  await alice.list.addItem("Oat milk");
  await alice.status.expectPending(1);

  // The service worker serves the app shell; the item comes from IndexedDB.
  await alice.page.reload();
  await alice.lists.openList("Groceries");
  await expect(alice.list.item("Oat milk")).toBeVisible();
  await alice.status.expectState("offline");
  await alice.status.expectPending(1);
  await expect(bob.list.item("Oat milk")).toHaveCount(0);

  await alice.network.goOnline();
  await alice.status.expectSynced();
  await expect(bob.list.item("Oat milk")).toBeVisible();
  expect(await bob.api.items("Oat milk")).toHaveLength(1);
});

test.describe("a browser restarted while offline", () => {
  // Stops the server to keep the whole browser offline (see below), so it gets one of its own.
  test.use({ dedicatedServer: true });

  test("[S2] an item added offline before the browser closed arrives exactly once when it comes back online hours later", async ({
    server,
  }) => {
    const profile = await mkdtemp(join(tmpdir(), "sync-e2e-profile-"));
    const opened: BrowserContext[] = [];
    const open = async (offline: boolean): Promise<BrowserContext> => {
      const context = await chromium.launchPersistentContext(profile, {
        ...launchOptions,
        headless: true,
        baseURL: server.url,
        offline,
      });
      opened.push(context);
      return context;
    };
    try {
      const first = await open(false);
      const before = appPage(first.pages()[0] ?? (await first.newPage()));
      await before.page.goto("/");
      const session = await before.auth.signUp(uniqueUsername("carol"), PASSWORD);
      await waitForServiceWorker(before.page);
      await before.lists.createList("Hardware");
      await before.lists.openList("Hardware");
      await before.list.inviteCode();
      await before.status.expectSynced();

      await first.setOffline(true);
      const batteries = await before.list.addItem("Batteries");
      await before.list.inc(batteries);
      await before.status.expectPending(2);
      await first.close();
      // `offline` emulation covers pages, not a service worker that Background Sync wakes at
      // browser start-up (it would drain the queue over the real network): an unreachable
      // server keeps the whole browser offline.
      await server.stop();

      // Hours later, same profile, still offline: the app opens from the service worker.
      const second = await open(true);
      await second.clock.install();
      const after = appPage(second.pages()[0] ?? (await second.newPage()));
      await after.page.goto("/");
      await after.lists.openList("Hardware");
      await expect(after.list.qty(after.list.item("Batteries"))).toHaveText("2");
      await after.status.expectPending(2);
      await second.clock.fastForward("02:00:00");

      await server.start();
      await second.setOffline(false);
      await after.status.expectSynced();
      const rows = await serverApi(server.url, session).items("Batteries");
      expect(rows).toHaveLength(1);
      // The increment took effect once: default 1 plus one click.
      expect(rows[0]?.fields.qty).toBe(2);
    } finally {
      // Chromium must let go of the profile before it can be removed.
      for (const context of opened) await context.close();
      await rm(profile, { recursive: true, force: true });
    }
  });
});
