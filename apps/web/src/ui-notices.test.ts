import { describe, expect, it } from "vitest";
import { createUiNoticeStore } from "./ui-notices.js";

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
