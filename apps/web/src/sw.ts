/// <reference lib="webworker" />
import { clientsClaim, type WorkboxPlugin } from "workbox-core";
import {
  addPlugins,
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  type PrecacheEntry,
  precacheAndRoute,
} from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";
import { SYNC_TAG } from "./background-sync.js";
import { getLastDbName } from "./meta-db.js";
import { openSyncClient } from "./sync.js";

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Array<PrecacheEntry | string>;
};

/** Background Sync's event is not in the TypeScript worker library. */
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}

// Take over at once, so the very first load is controlled and can reload offline.
void self.skipWaiting();
clientsClaim();

/**
 * A server may answer with `Vary` headers (e.g. Accept-Encoding) that make a strict cache match
 * miss for a request with other headers; the precached shell must still be found offline.
 */
const ignoreVary: WorkboxPlugin = {
  async cachedResponseWillBeUsed({ cacheName, request, cachedResponse }) {
    if (cachedResponse) return cachedResponse;
    return (await caches.match(request, { cacheName, ignoreVary: true })) ?? null;
  },
};

addPlugins([ignoreVary]);
cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);

// Any navigation (a reload of #/list/<id> is a request for "/") gets the shell. /api never.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL("/index.html"), { denylist: [/^\/api(\/|$)/] }),
);

/** Drains the last user's queue with the page's own sync code, then lets go of the database. */
async function drainQueue(): Promise<void> {
  const dbName = await getLastDbName();
  if (!dbName) return;
  const client = openSyncClient(dbName, { autoSync: false, eventSource: null });
  // No start(): drainOnce() opens the store itself, pushes without leader, stream or timers (C14).
  try {
    const { remaining } = await client.drainOnce();
    // Rejecting asks the browser to try again later, with its own backoff.
    if (remaining > 0) throw new Error(`${remaining} operations still pending`);
  } finally {
    await client.stop();
  }
}

self.addEventListener("sync", (event) => {
  const sync = event as SyncEvent;
  if (sync.tag !== SYNC_TAG) return;
  sync.waitUntil(
    drainQueue().catch((error: unknown) => {
      // Visible in the worker's console; rethrown so the browser retries the sync later.
      console.error("Background Sync drain failed", error);
      throw error;
    }),
  );
});
