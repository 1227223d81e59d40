import type { SyncStatus } from "@sync/sync-client";

export const SYNC_TAG = "sync-ops";

/** Background Sync is not in the TypeScript DOM library; this is the part we use. */
interface SyncManagerLike {
  register(tag: string): Promise<void>;
}

function syncManagerOf(registration: ServiceWorkerRegistration): SyncManagerLike | null {
  const sync = (registration as ServiceWorkerRegistration & { sync?: unknown }).sync;
  return typeof sync === "object" && sync !== null && "register" in sync
    ? (sync as SyncManagerLike)
    : null;
}

/**
 * Ask for a Background Sync when new work was queued, or when work is waiting and the network
 * went away: the browser then drains the queue later, even after the tab is closed.
 */
export function shouldRequestSync(previous: SyncStatus | null, next: SyncStatus): boolean {
  if (next.pendingCount === 0 || next.state === "signed-out") return false;
  if (previous === null) return true;
  return next.pendingCount > previous.pendingCount || (previous.online && !next.online);
}

/**
 * Returns a status listener that registers the sync tag when needed. An enhancement only: where
 * the browser has no Background Sync (or no service worker yet), it does nothing and the sync
 * client's own loop keeps working.
 */
export function backgroundSyncRequester(
  ready: () => Promise<ServiceWorkerRegistration> | null,
  onError: (error: unknown) => void,
): (status: SyncStatus) => void {
  let previous: SyncStatus | null = null;
  return (status) => {
    const wanted = shouldRequestSync(previous, status);
    previous = status;
    if (!wanted) return;
    const registration = ready();
    if (!registration) return;
    registration.then((reg) => syncManagerOf(reg)?.register(SYNC_TAG)).catch(onError);
  };
}
