import type { ChannelLike } from "./types.js";

/** Messages between tabs of one database. */
export type TabMessage =
  | {
      readonly type: "changed";
      readonly from: string;
      /** Confirmed rows that changed ([entity, id]), or "all" after a full resync. */
      readonly rows: readonly (readonly [string, string])[] | "all";
    }
  | { readonly type: "status"; readonly from: string; readonly status: SharedStatus }
  | { readonly type: "hello"; readonly from: string }
  /** A follower's person signed in again: the leader resumes after its 401. */
  | { readonly type: "resume"; readonly from: string };

/** What the leader shares about the network with the other tabs. */
export interface SharedStatus {
  readonly online: boolean;
  readonly syncing: boolean;
  readonly stuck: boolean;
  readonly signedOut: boolean;
  readonly lastSyncedAt: number | null;
  readonly lastError: { readonly code: string; readonly message: string } | null;
}

export function defaultChannel(): ((name: string) => ChannelLike) | null {
  if (typeof globalThis.BroadcastChannel !== "function") return null;
  return (name) => new BroadcastChannel(name);
}

export function isTabMessage(data: unknown): data is TabMessage {
  if (!data || typeof data !== "object") return false;
  const { type, from } = data as { type?: unknown; from?: unknown };
  return (
    typeof from === "string" &&
    (type === "changed" || type === "status" || type === "hello" || type === "resume")
  );
}
