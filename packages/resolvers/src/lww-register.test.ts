import { createNodeId, encodeHlc, HlcFormatError } from "@sync/clock";
import { describe, expect, it } from "vitest";
import { incomingWins, lwwPick } from "./lww.js";
import { LWWRegister } from "./lww-register.js";

const [low, high] = [createNodeId(() => 0.01), createNodeId(() => 0.99)];
const hlc = (wall: number, counter: number, node: string) => encodeHlc({ wall, counter, node });

describe("LWW", () => {
  it("[R1] the greater HLC wins; an equal clock is a re-delivery and keeps the current value", () => {
    expect(incomingWins(undefined, hlc(1, 0, low))).toBe(true);
    expect(incomingWins(hlc(1, 0, low), hlc(2, 0, low))).toBe(true);
    expect(incomingWins(hlc(2, 0, low), hlc(1, 9, high))).toBe(false);
    expect(incomingWins(hlc(1, 0, low), hlc(1, 0, low))).toBe(false);
    const current = { value: "a", hlc: hlc(5, 0, low) };
    expect(lwwPick(current, { value: "b", hlc: hlc(5, 0, low) })).toBe(current);
  });

  it("[R1] same wall and counter: the node id breaks the tie, never arrival order", () => {
    const a = LWWRegister.empty<string>().set("from low", hlc(7, 3, low));
    const b = LWWRegister.empty<string>().set("from high", hlc(7, 3, high));
    expect(a.merge(b).value()).toBe("from high");
    expect(b.merge(a).value()).toBe("from high");
  });

  it("[R6] an older write does not overwrite a newer one", () => {
    const reg = LWWRegister.empty<number>()
      .set(2, hlc(10, 0, low))
      .set(1, hlc(9, 0, high));
    expect(reg.value()).toBe(2);
    expect(reg.hlc()).toBe(hlc(10, 0, low));
    expect(LWWRegister.empty<number>().value()).toBeUndefined();
  });

  it("[R6] a malformed clock is refused", () => {
    expect(() => LWWRegister.empty<number>().set(1, "yesterday")).toThrow(HlcFormatError);
  });

  it("[R11] round-trips through JSON text", () => {
    const reg = LWWRegister.empty<{ text: string }>().set({ text: "Milk" }, hlc(3, 1, low));
    const back = LWWRegister.fromJSON<{ text: string }>(JSON.parse(JSON.stringify(reg)));
    expect(back.toJSON()).toEqual({ value: { text: "Milk" }, hlc: hlc(3, 1, low) });
    expect(LWWRegister.fromJSON(null).value()).toBeUndefined();
  });
});
