import { createNodeId, encodeHlc, HlcFormatError } from "@sync/clock";
import { describe, expect, it } from "vitest";
import { LWWMap } from "./lww-map.js";

const node = createNodeId();
const hlc = (wall: number) => encodeHlc({ wall, counter: 0, node });

describe("LWWMap", () => {
  it("[R6] each key is its own register: writes to different keys never conflict", () => {
    const base = LWWMap.empty<string>().set("title", "Groceries", hlc(1)).set("note", "", hlc(1));
    const a = base.set("title", "Weekend groceries", hlc(5));
    const b = base.set("note", "Before Saturday", hlc(4));
    expect(a.merge(b).value()).toEqual({ title: "Weekend groceries", note: "Before Saturday" });
  });

  it("[R6] a removal is a tombstone with its own clock: older writes stay dead, a newer write restores", () => {
    const removed = LWWMap.empty<number>().set("qty", 2, hlc(1)).remove("qty", hlc(5));
    expect(removed.has("qty")).toBe(false);
    expect(removed.isRemoved("qty")).toBe(true);
    expect(removed.clockOf("qty")).toBe(hlc(5));
    expect(removed.merge(LWWMap.empty<number>().set("qty", 3, hlc(4))).get("qty")).toBeUndefined();
    const restored = removed.merge(LWWMap.empty<number>().set("qty", 3, hlc(6)));
    expect(restored.get("qty")).toBe(3);
    expect(restored.keys()).toEqual(["qty"]);
  });

  it("[R6] a key named like an Object prototype member is an ordinary key", () => {
    const map = LWWMap.empty<number>().set("__proto__", 1, hlc(1)).set("constructor", 2, hlc(1));
    const back = LWWMap.fromJSON<number>(JSON.parse(JSON.stringify(map.toJSON())));
    expect(back.get("__proto__")).toBe(1);
    expect(back.keys()).toEqual(["__proto__", "constructor"]);
  });

  it("[R6] a malformed clock is refused", () => {
    expect(() => LWWMap.empty<number>().set("a", 1, "nope")).toThrow(HlcFormatError);
    expect(() => LWWMap.empty<number>().remove("a", "nope")).toThrow(HlcFormatError);
  });

  it("[R11] round-trips through JSON text, tombstones included", () => {
    const map = LWWMap.empty<string>()
      .set("b", "x", hlc(2))
      .set("a", "y", hlc(3))
      .remove("b", hlc(4));
    const back = LWWMap.fromJSON<string>(JSON.parse(JSON.stringify(map.toJSON())));
    expect(back.toJSON()).toEqual({
      a: { hlc: hlc(3), value: "y" },
      b: { hlc: hlc(4), deleted: true },
    });
    expect(back.value()).toEqual({ a: "y" });
  });
});
