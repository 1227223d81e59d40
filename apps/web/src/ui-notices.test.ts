import { describe, expect, it } from "vitest";
import { createUiNoticeStore, groupNotices } from "./ui-notices.js";

describe("app notices", () => {
  it("adds, dismisses and tells subscribers", () => {
    const store = createUiNoticeStore(() => 1000);
    let calls = 0;
    store.subscribe(() => {
      calls += 1;
    });
    const id = store.add({ level: "info", message: "Deleted “milk”" });
    expect(store.all()).toEqual([{ id, level: "info", message: "Deleted “milk”", at: 1000 }]);
    store.dismiss(id);
    store.dismiss(id);
    expect(store.all()).toEqual([]);
    expect(calls).toBe(2);
  });

  it("keeps only the newest few and does not repeat the same message", () => {
    const store = createUiNoticeStore(() => 0, 2);
    store.add({ level: "error", message: "offline" });
    store.add({ level: "error", message: "offline" });
    expect(store.all()).toHaveLength(1);
    store.add({ level: "info", message: "b" });
    store.add({ level: "info", message: "c" });
    expect(store.all().map((n) => n.message)).toEqual(["b", "c"]);
  });

  it("keeps each undo notice: two deletes can both be undone", () => {
    const store = createUiNoticeStore(() => 0);
    const undo = async () => {};
    store.add({ level: "info", message: "Deleted “x”", undo });
    store.add({ level: "info", message: "Deleted “x”", undo });
    expect(store.all()).toHaveLength(2);
  });
});

describe("sync client notices", () => {
  it("shows identical notices once, keeping every id to dismiss", () => {
    const n = (id: string, message: string, level: "info" | "error" = "error") => ({
      id,
      level,
      message,
      at: 0,
    });
    const groups = groupNotices([
      n("1", "refused"),
      n("2", "other"),
      n("3", "refused"),
      n("4", "refused", "info"),
    ]);
    expect(groups.map((g) => [g.first.message, g.first.level, g.ids])).toEqual([
      ["refused", "error", ["1", "3"]],
      ["other", "error", ["2"]],
      ["refused", "info", ["4"]],
    ]);
  });
});
