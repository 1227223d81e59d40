import { describe, expect, it } from "vitest";
import {
  describeOperation,
  displayState,
  formatLastSynced,
  formatRelativeTime,
  formatValue,
  pendingPhrase,
  statusSentence,
  truncate,
} from "./format.js";
import { syncStatus } from "./test-support/sync-status.js";

const NOW = Date.UTC(2025, 4, 17, 12, 0, 0);

const status = syncStatus;

describe("relative time", () => {
  it("rounds down within each unit and never shows a negative age", () => {
    expect(formatRelativeTime(NOW, NOW)).toBe("just now");
    expect(formatRelativeTime(NOW + 5_000, NOW)).toBe("just now");
    expect(formatRelativeTime(NOW - 42_000, NOW)).toBe("42 s ago");
    expect(formatRelativeTime(NOW - 5 * 60_000 - 59_000, NOW)).toBe("5 min ago");
    expect(formatRelativeTime(NOW - 3 * 3_600_000, NOW)).toBe("3 h ago");
    expect(formatRelativeTime(NOW - 3 * 86_400_000, NOW)).toBe("2025-05-14");
  });

  it("says so when the device has never synced", () => {
    expect(formatLastSynced(null, NOW)).toBe("never synced");
    expect(formatLastSynced(NOW - 120_000, NOW)).toBe("last sync 2 min ago");
  });
});

describe("status wording", () => {
  it("shows the signed-out state when there is no session", () => {
    expect(displayState(null)).toBe("signed-out");
    expect(displayState(status({ state: "offline" }))).toBe("offline");
  });

  it("tells the person offline work is kept and will sync", () => {
    expect(statusSentence(status({ state: "offline", pendingCount: 3 }))).toBe(
      "Offline. 3 changes waiting will sync when you are back online.",
    );
    expect(statusSentence(status({ state: "signed-out", pendingCount: 1 }))).toContain(
      "1 change waiting kept on this device",
    );
  });

  it("names the error the client reported", () => {
    const s = status({
      state: "error",
      pendingCount: 2,
      lastError: { code: "X", message: "boom" },
    });
    expect(statusSentence(s)).toBe("Sync problem: boom. 2 changes waiting; retrying.");
  });

  it("counts changes in words", () => {
    expect(pendingPhrase(0)).toBe("No changes waiting");
    expect(pendingPhrase(1)).toBe("1 change waiting");
    expect(pendingPhrase(7)).toBe("7 changes waiting");
  });
});

describe("values shown in conflicts and dead letters", () => {
  it("quotes text, marks empty values and shortens long ones", () => {
    expect(formatValue("milk")).toBe("“milk”");
    expect(formatValue("")).toBe("(empty)");
    expect(formatValue(null)).toBe("(empty)");
    expect(formatValue(3)).toBe("3");
    expect(formatValue(false)).toBe("false");
    expect(formatValue(["a", "b"])).toBe("“a”, “b”");
    expect(formatValue("x".repeat(200))).toHaveLength(82);
  });

  it("truncates with an ellipsis only when needed", () => {
    expect(truncate("abc", 3)).toBe("abc");
    expect(truncate("abcd", 3)).toBe("ab…");
  });

  it("describes an operation in plain words", () => {
    expect(describeOperation("create", "item", "milk")).toBe("Add item “milk”");
    expect(describeOperation("increment", "item", null)).toBe("Change the quantity of item");
    expect(describeOperation("weird", "thing", null)).toBe("weird thing");
  });
});
