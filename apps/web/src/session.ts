/** The signed-in person, remembered so a reload while offline opens their data without the server. */
export interface User {
  readonly id: string;
  readonly username: string;
}

/** The part of `Storage` this module needs (localStorage in the page, a map in tests). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The localStorage key of the remembered user (its `storage` event tells other tabs). */
export const USER_KEY = "shoplist.user";
const KEY = USER_KEY;

export function isUser(value: unknown): value is User {
  if (typeof value !== "object" || value === null) return false;
  const { id, username } = value as Record<string, unknown>;
  return typeof id === "string" && id !== "" && typeof username === "string";
}

export function loadUser(store: KeyValueStore): User | null {
  const raw = store.getItem(KEY);
  if (raw === null) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    return isUser(parsed) ? { id: parsed.id, username: parsed.username } : null;
  } catch {
    // A corrupt entry is no session; the local data stays in its own database.
    return null;
  }
}

export function saveUser(store: KeyValueStore, user: User): void {
  store.setItem(KEY, JSON.stringify({ id: user.id, username: user.username }));
}

export function forgetUser(store: KeyValueStore): void {
  store.removeItem(KEY);
}

/** One IndexedDB database per user keeps accounts on a shared device apart. */
export function dbNameFor(userId: string): string {
  return `shoplist-${userId}`;
}
