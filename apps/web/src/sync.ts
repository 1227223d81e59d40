import { shoppingSchema } from "@sync/entities";
import { createSyncClient, type SyncClient, type SyncClientOptions } from "@sync/sync-client";

/** Options a caller may change: the page takes the defaults, the service worker turns sync off. */
export type SyncOverrides = Partial<
  Pick<SyncClientOptions, "autoSync" | "eventSource" | "channel" | "userId">
>;

/**
 * The one place that builds a sync client: the page and the service worker's Background Sync
 * handler drain the same IndexedDB queue with the same code.
 */
export function openSyncClient(dbName: string, overrides: SyncOverrides = {}): SyncClient {
  return createSyncClient({ baseUrl: "", schema: shoppingSchema, dbName, ...overrides });
}
