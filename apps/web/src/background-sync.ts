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

/** The page cannot push right now: the browser should drain the queue when it can. */
function blocked(status: SyncStatus): boolean {
  return !status.online || status.state === "error" || status.stuck;
}

/**
 * Ask for a Background Sync only when work waits that this page cannot push now (offline,
 * failing, stuck), and again when more is queued meanwhile. While the page syncs by itself a
 * registration would make the worker push the same operations at the same moment: harmless
 * (the server dedupes) but twice the load.
 */
export function shouldRequestSync(previous: SyncStatus | null, next: SyncStatus): boolean {
  if (next.pendingCount === 0 || next.state === "signed-out" || !blocked(next)) return false;
  if (previous === null || !blocked(previous)) return true;
  return next.pendingCount > previous.pendingCount;
}

export interface BackgroundSyncRequester {
  /** Status listener: registers the tag when {@link shouldRequestSync} says so. */
  (status: SyncStatus): void;
  /** The page is being hidden or closed: hand pending work to the browser. */
  pageHidden(): void;
}

/**
 * Registers the sync tag when needed. An enhancement only: where the browser has no Background
 * Sync (or no service worker yet), it does nothing and the sync client's own loop keeps working.
 */
export function backgroundSyncRequester(
  ready: () => Promise<ServiceWorkerRegistration> | null,
  onError: (error: unknown) => void,
): BackgroundSyncRequester {
  let previous: SyncStatus | null = null;
  const register = () => {
    const registration = ready();
    if (!registration) return;
    registration.then((reg) => syncManagerOf(reg)?.register(SYNC_TAG)).catch(onError);
  };
  const listener = (status: SyncStatus) => {
    const wanted = shouldRequestSync(previous, status);
    previous = status;
    if (wanted) register();
  };
  return Object.assign(listener, {
    pageHidden() {
      if (previous && previous.pendingCount > 0 && previous.state !== "signed-out") register();
    },
  });
}
