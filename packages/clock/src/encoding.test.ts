import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareHlc,
  decodeHlc,
  encodeHlc,
  HLC_LENGTH,
  type Hlc,
  HlcFormatError,
  hlcWall,
  isHlcString,
  MAX_COUNTER,
  MAX_WALL,
} from "./encoding.js";

const numRuns = Number.parseInt(process.env.FC_NUM_RUNS ?? "", 10) || 300;
fc.configureGlobal({ numRuns });

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".split("");
const nodeArb = fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: 11, maxLength: 11 });
// Small ranges on purpose as well, so equal walls and counters (the tie-break paths) occur often.
const hlcArb: fc.Arbitrary<Hlc> = fc.record({
  wall: fc.oneof(fc.integer({ min: 0, max: MAX_WALL }), fc.integer({ min: 0, max: 3 })),
  counter: fc.oneof(fc.integer({ min: 0, max: MAX_COUNTER }), fc.integer({ min: 0, max: 3 })),
  node: fc.oneof(nodeArb, fc.constantFrom("aaaaaaaaaaa", "aaaaaaaaaab", "zzzzzzzzzzz")),
});

describe("HLC encoding", () => {
  it("[H3] encode/decode round-trips and always yields 24 chars of [0-9a-z]", () => {
    fc.assert(
      fc.property(hlcArb, (hlc) => {
        const encoded = encodeHlc(hlc);
        expect(encoded).toHaveLength(HLC_LENGTH);
        expect(isHlcString(encoded)).toBe(true);
        expect(decodeHlc(encoded)).toEqual(hlc);
        expect(hlcWall(encoded)).toBe(hlc.wall);
      }),
    );
  });

  it("[H3] string order of encoded timestamps equals compareHlc order of decoded ones", () => {
    fc.assert(
      fc.property(hlcArb, hlcArb, (a, b) => {
        const ea = encodeHlc(a);
        const eb = encodeHlc(b);
        const decoded = compareHlc(a, b);
        const stringOrder = ea < eb ? -1 : ea > eb ? 1 : 0;
        expect(stringOrder).toBe(decoded);
        expect(compareHlc(ea, eb)).toBe(decoded);
        expect(compareHlc(ea, b)).toBe(decoded);
        expect(compareHlc(a, eb)).toBe(decoded);
        expect(compareHlc(b, a)).toBe(decoded === 0 ? 0 : -decoded);
      }),
    );
  });

  it("[H3] the order is wall first, then counter, then node id", () => {
    const base = { wall: 1000, counter: 5, node: "bbbbbbbbbbb" };
    expect(compareHlc({ ...base, wall: 999, counter: MAX_COUNTER }, base)).toBe(-1);
    expect(compareHlc({ ...base, counter: 4, node: "zzzzzzzzzzz" }, base)).toBe(-1);
    expect(compareHlc({ ...base, node: "aaaaaaaaaaa" }, base)).toBe(-1);
    expect(compareHlc(base, { ...base })).toBe(0);
    expect(encodeHlc(base)).toBe("0000000rs0005bbbbbbbbbbb");
  });

  it("[H7] decodeHlc rejects malformed strings with HlcFormatError", () => {
    const valid = encodeHlc({ wall: 1, counter: 2, node: "abcdefghijk" });
    const malformed = [
      "",
      valid.slice(1),
      valid + "0",
      valid.toUpperCase(),
      valid.slice(0, 23) + "-",
      valid.slice(0, 23) + "é",
      " " + valid.slice(1),
      valid.slice(0, 12) + "\n" + valid.slice(13),
    ];
    for (const value of malformed) {
      expect(() => decodeHlc(value), JSON.stringify(value)).toThrow(HlcFormatError);
    }
    expect(() => decodeHlc(42 as unknown as string)).toThrow(HlcFormatError);
    expect(() => decodeHlc(undefined as unknown as string)).toThrow(HlcFormatError);
  });

  it("[H7] decodeHlc rejects every string that is not 24 chars of [0-9a-z]", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30 }).filter((s) => !/^[0-9a-z]{24}$/.test(s)),
        (value) => {
          expect(() => decodeHlc(value)).toThrow(HlcFormatError);
          expect(isHlcString(value)).toBe(false);
        },
      ),
    );
  });

  it("[H7] encodeHlc rejects out-of-range parts with HlcFormatError", () => {
    const ok = { wall: 1, counter: 1, node: "abcdefghijk" };
    const bad: Hlc[] = [
      { ...ok, wall: -1 },
      { ...ok, wall: MAX_WALL + 1 },
      { ...ok, wall: 1.5 },
      { ...ok, wall: Number.NaN },
      { ...ok, counter: -1 },
      { ...ok, counter: MAX_COUNTER + 1 },
      { ...ok, node: "short" },
      { ...ok, node: "ABCDEFGHIJK" },
    ];
    for (const hlc of bad)
      expect(() => encodeHlc(hlc), JSON.stringify(hlc)).toThrow(HlcFormatError);
    expect(encodeHlc({ wall: MAX_WALL, counter: MAX_COUNTER, node: "zzzzzzzzzzz" })).toBe(
      "z".repeat(24),
    );
  });
});
