import type { SyncStatus } from "@sync/sync-client";
import { h, setAttr, setText, show } from "../dom.js";
import { displayState, formatLastSynced, stateLabel, statusSentence } from "../format.js";

export interface StatusBar {
  readonly el: HTMLElement;
  update(status: SyncStatus | null, now: number): void;
}

/** State, pending count and last sync, always visible; the sentence is what screen readers hear. */
export function createStatusBar(onSyncNow: () => void): StatusBar {
  const dot = h("span", { class: "status-dot", "aria-hidden": "true" });
  const label = h("span", { class: "status-label" });
  const state = h("span", { class: "sync-status", testid: "sync-status" }, [dot, label]);
  const pending = h("span", { class: "pending-count", testid: "pending-count" }, ["0"]);
  const pendingBox = h("span", { class: "pending" }, [pending, " waiting"]);
  const last = h("span", { class: "last-synced", testid: "last-synced" });
  const stuck = h("span", { class: "stuck", testid: "sync-stuck" }, [
    "Online, but changes are not getting through.",
  ]);
  const sentence = h("span", { class: "visually-hidden", role: "status", "aria-live": "polite" });
  const syncNow = h(
    "button",
    { type: "button", class: "link-button", testid: "sync-now" },
    ["Sync now"],
    { click: onSyncNow },
  );
  const el = h("div", { class: "status-bar", "aria-label": "Sync status" }, [
    state,
    pendingBox,
    last,
    stuck,
    syncNow,
    sentence,
  ]);
  let lastSentence = "";
  return {
    el,
    update(status, now) {
      const current = displayState(status);
      setAttr(state, "data-state", current);
      setAttr(el, "data-state", current);
      setText(label, stateLabel(current));
      setText(pending, String(status?.pendingCount ?? 0));
      setAttr(pendingBox, "data-empty", (status?.pendingCount ?? 0) === 0);
      setText(last, formatLastSynced(status?.lastSyncedAt ?? null, now));
      show(stuck, status?.stuck === true);
      show(syncNow, status?.online === true && current !== "signed-out");
      const next = statusSentence(status);
      setAttr(state, "title", next);
      // Announce state changes, not every tick of the clock.
      if (next !== lastSentence) {
        lastSentence = next;
        setText(sentence, next);
      }
    },
  };
}
