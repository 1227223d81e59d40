import { expect, it } from "vitest";

it("runs on the browser's own IndexedDB, not a fake", () => {
  expect(navigator.userAgent).toMatch(/Chrome\//);
  expect(Function.prototype.toString.call(indexedDB.open)).toContain("[native code]");
});
