import { shareList } from "../fixtures/member.js";
import { expect, test } from "../fixtures/test.js";

interface Registration {
  registrationId: string;
  scopeURL: string;
  isDeleted: boolean;
}

test("[S13] changes queued offline reach the server through Background Sync after the tab was closed", async ({
  people,
  server,
}) => {
  const lee = await people.signUp("lee");
  await shareList(lee, "Garden");
  await lee.status.expectSynced();

  await lee.network.goOffline();
  await lee.list.addItem("Seeds");
  await lee.status.expectPending(1);

  // A blank page keeps the context alive and hosts the DevTools session once the app is gone.
  const host = await lee.context.newPage();
  await host.goto("about:blank");
  const cdp = await lee.context.newCDPSession(host);
  const registrations: Registration[] = [];
  cdp.on("ServiceWorker.workerRegistrationUpdated", (event: { registrations: Registration[] }) => {
    registrations.push(...event.registrations);
  });
  await cdp.send("ServiceWorker.enable");

  await lee.page.close();
  expect(await lee.api.items("Seeds")).toHaveLength(0);
  // From here only the service worker can push: no page of the app is open.
  await lee.network.goOnline();

  const origin = server.url;
  await expect
    .poll(() => registrations.find((r) => r.scopeURL.startsWith(origin) && !r.isDeleted))
    .toBeTruthy();
  const registration = registrations.find((r) => r.scopeURL.startsWith(origin) && !r.isDeleted);
  await cdp.send("ServiceWorker.dispatchSyncEvent", {
    origin,
    registrationId: registration?.registrationId ?? "",
    tag: "sync-ops",
    lastChance: false,
  });

  await expect.poll(async () => (await lee.api.items("Seeds")).length).toBe(1);
});
