import { describe, expect, it } from "vitest";
import { isNodeId } from "./encoding.js";
import { createNodeId } from "./node-id.js";

describe("node ids", () => {
  it("[H8] createNodeId yields 11 chars of [0-9a-z], distinct across calls", () => {
    const ids = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const id = createNodeId();
      expect(isNodeId(id)).toBe(true);
      ids.add(id);
    }
    expect(ids.size).toBe(200);
  });

  it("[H8] an injected random source covers the whole alphabet edges", () => {
    expect(createNodeId(() => 0)).toBe("00000000000");
    expect(createNodeId(() => 0.999999)).toBe("zzzzzzzzzzz");
  });

  it("[H8] a random source outside [0, 1) is refused rather than producing a bad id", () => {
    expect(() => createNodeId(() => 1)).toThrow(RangeError);
    expect(() => createNodeId(() => -0.1)).toThrow(RangeError);
  });
});
