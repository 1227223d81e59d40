import { describe, expect, it } from "vitest";
import { bigintArray, uuidArray } from "./array-param.js";

describe("array parameters", () => {
  it("refuse any element that could break out of the array literal", () => {
    expect(() => uuidArray([crypto.randomUUID(), "x},{y"])).toThrow(/not a uuid/);
    expect(() => bigintArray([1, 1.5])).toThrow(/not an integer/);
    expect(() => uuidArray([crypto.randomUUID(), crypto.randomUUID()])).not.toThrow();
  });
});
