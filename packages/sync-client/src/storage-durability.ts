/** The parts of `navigator.storage` the client uses (absent in Node and some browsers). */
export interface StorageManagerLike {
  persist?(): Promise<boolean>;
  persisted?(): Promise<boolean>;
  estimate?(): Promise<{ usage?: number; quota?: number }>;
}

/** The parts of `localStorage` the eviction mirror uses. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function defaultStorageManager(): StorageManagerLike | null {
  const storage = (globalThis.navigator as { storage?: StorageManagerLike } | undefined)?.storage;
  return storage ?? null;
}

export function defaultKeyValueStorage(): KeyValueStorage | null {
  // Reading localStorage throws in some sandboxed iframes; then there is simply no mirror.
  try {
    return (globalThis as { localStorage?: KeyValueStorage }).localStorage ?? null;
  } catch {
    return null;
  }
}

/** Share of the quota above which the person is warned (rule L12). */
export const QUOTA_WARNING_RATIO = 0.8;

export async function quotaWarning(storage: StorageManagerLike | null): Promise<string | null> {
  if (!storage?.estimate) return null;
  const { usage, quota } = await storage.estimate();
  if (!usage || !quota || usage / quota < QUOTA_WARNING_RATIO) return null;
  const percent = Math.round((usage / quota) * 100);
  return `Local storage is ${percent}% full: sync soon, or new changes may not be saved.`;
}

/**
 * The mirror of the database's identity outside IndexedDB (rule L12): the creation stamp and
 * whether work was pending. A database that comes back with another stamp while the mirror
 * says work was pending was evicted: that work is gone, and the person must be told.
 */
export interface EvictionMarker {
  readonly createdAt: number;
  readonly pending: number;
}

export function markerKey(dbName: string): string {
  return `sync-client:${dbName}:marker`;
}

export function readMarker(storage: KeyValueStorage | null, dbName: string): EvictionMarker | null {
  const raw = storage?.getItem(markerKey(dbName));
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<EvictionMarker>;
    if (typeof value.createdAt !== "number" || typeof value.pending !== "number") return null;
    return { createdAt: value.createdAt, pending: value.pending };
  } catch {
    return null; // A foreign or corrupt value is no evidence of anything.
  }
}

export function writeMarker(
  storage: KeyValueStorage | null,
  dbName: string,
  marker: EvictionMarker,
): void {
  storage?.setItem(markerKey(dbName), JSON.stringify(marker));
}

/** True when the database was recreated although the mirror says work was pending. */
export function wasEvicted(marker: EvictionMarker | null, createdAt: number): boolean {
  return marker !== null && marker.createdAt !== createdAt && marker.pending > 0;
}
