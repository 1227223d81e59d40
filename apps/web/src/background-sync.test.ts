import { describe, expect, it } from "vitest";
import { backgroundSyncRequester, SYNC_TAG, shouldRequestSync } from "./background-sync.js";
import { syncStatus } from "./test-support/sync-status.js";

const status = syncStatus;

describe("when to ask for a Background Sync", () => {
  it("asks when work is queued offline, and again when more is queued", () => {
    const offline = { online: false, state: "offline" } as const;
    expect(shouldRequestSync(null, status({ pendingCount: 1, ...offline }))).toBe(true);
    expect(
      shouldRequestSync(
        status({ pendingCount: 1, ...offline }),
        status({ pendingCount: 2, ...offline }),
      ),
    ).toBe(true);
    expect(
      shouldRequestSync(
        status({ pendingCount: 2, ...offline }),
        status({ pendingCount: 2, ...offline }),
      ),
    ).toBe(false);
  });

  it("asks when pushes fail or stall with work waiting", () => {
    expect(shouldRequestSync(null, status({ pendingCount: 1, state: "error" }))).toBe(true);
    expect(
      shouldRequestSync(status({ pendingCount: 1 }), status({ pendingCount: 1, stuck: true })),
    ).toBe(true);
  });

  it("does not ask while the page itself can push (it would push the same operations twice)", () => {
    expect(shouldRequestSync(null, status({ pendingCount: 1, state: "syncing" }))).toBe(false);
    expect(shouldRequestSync(status({ pendingCount: 1 }), status({ pendingCount: 2 }))).toBe(false);
  });

  it("asks when the network goes away with work waiting", () => {
    const before = status({ pendingCount: 2 });
    expect(shouldRequestSync(before, status({ pendingCount: 2, online: false }))).toBe(true);
  });

  it("does not ask with nothing queued, while draining, or while signed out", () => {
    expect(shouldRequestSync(null, status({ pendingCount: 0 }))).toBe(false);
    expect(shouldRequestSync(status({ pendingCount: 3 }), status({ pendingCount: 2 }))).toBe(false);
    expect(shouldRequestSync(null, status({ pendingCount: 2, state: "signed-out" }))).toBe(false);
  });
});

describe("Background Sync registration", () => {
  it("registers the tag where the browser supports it", async () => {
    const tags: string[] = [];
    const registration = { sync: { register: async (tag: string) => void tags.push(tag) } };
    const errors: unknown[] = [];
    const listener = backgroundSyncRequester(
      () => Promise.resolve(registration as unknown as ServiceWorkerRegistration),
      (e) => errors.push(e),
    );
    listener(status({ pendingCount: 1, online: false }));
    await expect.poll(() => tags).toEqual([SYNC_TAG]);
    expect(errors).toEqual([]);
  });

  it("hands pending work to the browser when the page is hidden, even while online", async () => {
    const tags: string[] = [];
    const registration = { sync: { register: async (tag: string) => void tags.push(tag) } };
    const requester = backgroundSyncRequester(
      () => Promise.resolve(registration as unknown as ServiceWorkerRegistration),
      () => undefined,
    );
    requester(status({ pendingCount: 0 }));
    requester.pageHidden();
    requester(status({ pendingCount: 2, state: "syncing" }));
    expect(tags).toEqual([]);
    requester.pageHidden();
    await expect.poll(() => tags).toEqual([SYNC_TAG]);
  });

  it("is a no-op without a service worker or without Background Sync", async () => {
    const errors: unknown[] = [];
    backgroundSyncRequester(
      () => null,
      (e) => errors.push(e),
    )(status({ pendingCount: 1, online: false }));
    let resolved = false;
    const ready = Promise.resolve({} as ServiceWorkerRegistration).then((r) => {
      resolved = true;
      return r;
    });
    backgroundSyncRequester(
      () => ready,
      (e) => errors.push(e),
    )(status({ pendingCount: 1, online: false }));
    await expect.poll(() => resolved).toBe(true);
    expect(errors).toEqual([]);
  });

  it("reports a refused registration instead of hiding it", async () => {
    const errors: unknown[] = [];
    const refusal = new Error("denied");
    const registration = { sync: { register: () => Promise.reject(refusal) } };
    backgroundSyncRequester(
      () => Promise.resolve(registration as unknown as ServiceWorkerRegistration),
      (e) => errors.push(e),
    )(status({ pendingCount: 1, online: false }));
    await expect.poll(() => errors).toEqual([refusal]);
  });
});
