import { decode, encode } from "@msgpack/msgpack";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CompactPushError,
  decodeCompactPush,
  encodeCompactPush,
  LIMITS,
  OP_KINDS,
  type Operation,
  PROTOCOL_VERSION,
  type PushRequest,
  pushRequestSchema,
} from "./index.js";

const BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz".split("");
const nodeArb = fc.string({ unit: fc.constantFrom(...BASE36), minLength: 11, maxLength: 11 });
const wallArb = fc.integer({ min: 0, max: 36 ** 9 - 1 });
const counterArb = fc.integer({ min: 0, max: 36 ** 4 - 1 });
const hlcOf = (wall: number, counter: number, node: string) =>
  wall.toString(36).padStart(9, "0") + counter.toString(36).padStart(4, "0") + node;
const nameArb = fc
  .stringMatching(/^[a-z][a-zA-Z0-9_]{0,20}$/)
  .filter((s) => !["constructor", "prototype"].includes(s));
/** Mostly lowercase canonical ids (16 raw bytes); sometimes uppercase (sent as text). */
const uuidArb = fc.oneof(
  { weight: 9, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.uuid().map((u) => u.toUpperCase()) },
);
/** Every value type the entities use (text, boolean, integer, ref, timestamp, null) and sets. */
const valueArb = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 10 }),
  fc.boolean(),
  fc.constant(null),
  fc.integer({ min: -LIMITS.maxCounterDelta, max: LIMITS.maxCounterDelta }),
  fc.integer({ min: 0, max: 2 ** 48 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.uuid(),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 5 }),
);
const fieldsArb = fc.dictionary(nameArb, valueArb, { maxKeys: 5 });
const baseArb = fc.dictionary(fc.oneof(nameArb, fc.constant("$deleted")), fc.constant(""), {
  maxKeys: 3,
});

/** Valid push requests: several nodes, HLCs in any order (negative deltas), every kind, bases. */
const requestArb: fc.Arbitrary<PushRequest> = fc
  .record({
    clientId: uuidArb,
    nodes: fc.array(nodeArb, { minLength: 1, maxLength: 3 }),
    firstSeq: fc.integer({ min: 1, max: 2 ** 40 }),
    ops: fc.array(
      fc.record({
        opId: uuidArb,
        id: uuidArb,
        gap: fc.integer({ min: 1, max: 100_000 }),
        entity: fc.oneof(fc.constantFrom("item", "list", "note"), nameArb),
        kind: fc.constantFrom(...OP_KINDS),
        fields: fieldsArb,
        base: fc.option(baseArb, { nil: undefined }),
        wall: wallArb,
        counter: counterArb,
        node: fc.nat(),
      }),
      { minLength: 1, maxLength: 30 },
    ),
  })
  .map(({ clientId, nodes, firstSeq, ops }) => {
    let seq = firstSeq - 1;
    return {
      protocolVersion: PROTOCOL_VERSION,
      clientId,
      ops: ops.map((o): Operation => {
        seq += o.gap;
        const hlc = hlcOf(o.wall, o.counter, nodes[o.node % nodes.length] ?? "");
        const base = o.base && Object.fromEntries(Object.keys(o.base).map((k) => [k, hlc]));
        return {
          opId: o.opId,
          clientId,
          seq,
          entity: o.entity,
          id: o.id,
          kind: o.kind,
          fields: o.fields,
          ...(base ? { base } : {}),
          hlc,
        };
      }),
    };
  });

const viaJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe("[W4] compact push encoding", () => {
  it("[W4] decode(encode(request)) is what JSON would carry, for any valid request", () => {
    fc.assert(
      fc.property(requestArb, (request) => {
        expect(pushRequestSchema.safeParse(request).success).toBe(true);
        const decoded = decodeCompactPush(encodeCompactPush(request));
        expect(decoded).toEqual(viaJson(request));
        expect(pushRequestSchema.parse(decoded)).toEqual(pushRequestSchema.parse(viaJson(request)));
      }),
      { numRuns: 300 },
    );
  });

  it("[W4] keys JSON would drop (undefined values) are dropped too", () => {
    const request = fc.sample(requestArb, 1)[0] as PushRequest;
    const op = {
      ...(request.ops[0] as Operation),
      base: undefined,
      fields: { a: 1, b: undefined },
    };
    const loose = { ...request, ops: [op] } as unknown as PushRequest;
    expect(decodeCompactPush(encodeCompactPush(loose))).toEqual(viaJson(loose));
  });

  it("[W4] a batch of one node, one entity and one field shape carries no index columns", () => {
    const hlc = hlcOf(1_700_000_000_000, 0, "abcdefghijk");
    const clientId = "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c7d";
    const ops = Array.from({ length: 3 }, (_, i) => ({
      opId: `01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c7${i}`,
      clientId,
      seq: i + 1,
      entity: "item",
      id: `01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c8${i}`,
      kind: "update" as const,
      fields: { checked: i % 2 === 0 },
      hlc,
    }));
    const bytes = encodeCompactPush({ protocolVersion: PROTOCOL_VERSION, clientId, ops });
    expect(Object.keys(decode(bytes) as object).sort()).toEqual(
      ["c", "e", "f", "fs", "fv", "h", "i", "k", "o", "s", "t", "v", "w"].sort(),
    );
    expect(decodeCompactPush(bytes)).toEqual({ protocolVersion: PROTOCOL_VERSION, clientId, ops });
  });

  it.each([
    ["a lone surrogate in a value", { fields: { text: "a\ud800b" } }],
    ["a non-finite number", { fields: { qty: Number.NaN } }],
    ["a nested object", { fields: { text: { $gt: "" } } }],
    ["an op of another client", { clientId: "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c79" }],
    ["an unknown key", { listId: "x" }],
    ["a fractional seq", { seq: 1.5 }],
    ["an HLC of another format", { hlc: "2024-01-01T00:00:00Z" }],
  ])("[W4] %s is unrepresentable (the caller sends JSON)", (_name, patch) => {
    const request = fc.sample(requestArb, 1)[0] as PushRequest;
    const op = { ...(request.ops[0] as Operation), ...patch };
    const bad = { ...request, ops: [op] } as unknown as PushRequest;
    expect(() => encodeCompactPush(bad)).toThrow(
      expect.objectContaining({ name: "CompactPushError", reason: "unrepresentable" }),
    );
  });
});

/** A valid two-op compact body as a plain map (two entities, two nodes, two shapes, a base). */
function validBody(): Record<string, unknown> {
  const hlcA = hlcOf(1_700_000_000_000, 3, "abcdefghijk");
  const clientId = "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c7d";
  const op = (i: number): Operation => ({
    opId: `01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c7${i}`,
    clientId,
    seq: i + 1,
    entity: i === 0 ? "item" : "list",
    id: `01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c8${i}`,
    kind: "update",
    fields: i === 0 ? { text: "Milk" } : { title: "Shop", qty: 2 },
    ...(i === 1 ? { base: { title: hlcA } } : {}),
    hlc: i === 0 ? hlcA : hlcOf(1_699_999_999_000, 0, "zyxwvutsrqp"),
  });
  const request = { protocolVersion: PROTOCOL_VERSION, clientId, ops: [op(0), op(1)] };
  return decode(encodeCompactPush(request)) as Record<string, unknown>;
}

const errorOf = (bytes: Uint8Array): CompactPushError => {
  try {
    decodeCompactPush(bytes);
  } catch (error) {
    if (error instanceof CompactPushError) return error;
    throw error;
  }
  throw new Error("decoded without an error");
};

describe("[W4] compact push decoding refuses what is not a compact push", () => {
  it("[W4] the valid body decodes to a valid request", () => {
    expect(pushRequestSchema.safeParse(decodeCompactPush(encode(validBody()))).success).toBe(true);
  });

  const bytes16 = new Uint8Array(16);
  const cases: [string, (b: Record<string, unknown>) => unknown, RegExp][] = [
    ["a map at the top level", () => [1, 2], /map at the top level/],
    ["an unknown key", (b) => ({ ...b, x: 1 }), /unknown key "x"/],
    ["a missing version", ({ v: _, ...b }) => b, /"v" is missing/],
    ["a missing kinds column", ({ k: _, ...b }) => b, /"k" must be an array/],
    ["a short seq column", (b) => ({ ...b, s: [1] }), /"s" has 1 entries/],
    ["a fractional seq delta", (b) => ({ ...b, s: [1, 0.5] }), /"s" must hold integers/],
    ["a string in the walls", (b) => ({ ...b, w: ["1", 2] }), /"w" must hold integers/],
    ["a wall below zero", (b) => ({ ...b, w: [5, -6] }), /"w" adds up to -1/],
    ["a wall past 9 digits", (b) => ({ ...b, w: [36 ** 9, 0] }), /"w" adds up/],
    ["a counter past 4 digits", (b) => ({ ...b, t: [36 ** 4, 0] }), /"t" adds up/],
    ["an opId blob of 31 bytes", (b) => ({ ...b, o: new Uint8Array(31) }), /"o" is 31 bytes/],
    ["an id blob of one op", (b) => ({ ...b, i: bytes16 }), /"i" is 16 bytes, expected 16 per/],
    ["ids as a number", (b) => ({ ...b, i: 7 }), /"i" must be bytes or an array/],
    ["a clientId of 15 bytes", (b) => ({ ...b, c: new Uint8Array(15) }), /"c" must be 16 bytes/],
    ["a kind out of range", (b) => ({ ...b, k: [1, 9] }), /kind 9 is out of range/],
    ["an entity index out of range", (b) => ({ ...b, ei: [0, 2] }), /"ei" index 2/],
    ["a node index out of range", (b) => ({ ...b, hi: [0, -1] }), /"hi" index -1/],
    ["a shape index out of range", (b) => ({ ...b, fi: [0, 5] }), /"fi" index 5/],
    ["no entity table", (b) => ({ ...b, e: [] }), /"ei" index/],
    ["no node table nor index", ({ hi: _, ...b }) => ({ ...b, h: [] }), /"h" is empty/],
    ["a name index out of range", (b) => ({ ...b, fs: [[0], [1, 9]] }), /"fs" must hold arrays/],
    ["a name table of numbers", (b) => ({ ...b, f: [1, 2, 3] }), /"f" must hold strings/],
    [
      "a value too few",
      (b) => ({ ...b, fv: ["Milk", "Shop"] }),
      /"fv" has 2 values, the shapes need 3/,
    ],
    ["a value too many", (b) => ({ ...b, fv: [1, 2, 3, 4] }), /"fv" has 4 values/],
    ["a shape naming a field twice", (b) => ({ ...b, fs: [[0], [1, 1]] }), /repeats "title"/],
    ["a base of a missing op", (b) => ({ ...b, b: [[2, [1, "x"]]] }), /"b" entries/],
    [
      "bases out of op order",
      (b) => ({
        ...b,
        b: [
          [1, []],
          [0, []],
        ],
      }),
      /"b" entries/,
    ],
    ["a base with an odd list", (b) => ({ ...b, b: [[1, [1]]] }), /"b" entries/],
    ["a base name out of range", (b) => ({ ...b, b: [[1, [9, "x"]]] }), /"b" name index 9/],
  ];
  it.each(cases)("[W4] %s", (_name, breakIt, message) => {
    const error = errorOf(encode(breakIt(validBody())));
    expect(error.reason).toBe("malformed");
    expect(error.message).toMatch(message);
  });

  it.each([
    ["broken MessagePack", new Uint8Array([0xc1])],
    ["a truncated body", encode(validBody()).slice(0, 40)],
    ["trailing bytes", new Uint8Array([...encode(validBody()), 0x00])],
    ["an empty body", new Uint8Array(0)],
  ])("[W4] %s", (_name, bytes) => {
    const error = errorOf(bytes);
    expect(error.reason).toBe("malformed");
    expect(error.message).toMatch(/not one MessagePack value/);
  });

  it("[W4] more operations than the limit are counted from the columns", () => {
    const body = { ...validBody(), k: new Array(LIMITS.maxOpsPerPush + 1).fill(1) };
    const error = errorOf(encode(body));
    expect(error.reason).toBe("too-many-operations");
    expect(error.details).toEqual({ max: LIMITS.maxOpsPerPush, got: LIMITS.maxOpsPerPush + 1 });
  });

  it("[W4] a node id that is not one still decodes to the exact text, for validation to refuse", () => {
    const body = { ...validBody(), h: ["ABCDEFGHIJK", "zyxwvutsrqp"] };
    const decoded = decodeCompactPush(encode(body)) as PushRequest;
    expect(decoded.ops.map((o) => o.hlc)).toEqual([
      hlcOf(1_700_000_000_000, 3, "ABCDEFGHIJK"),
      hlcOf(1_699_999_999_000, 0, "zyxwvutsrqp"),
    ]);
    expect(pushRequestSchema.safeParse(decoded).success).toBe(false);
  });

  it("[W4] a __proto__ field name becomes an own key that validation refuses, as in JSON", () => {
    const body = { ...validBody(), f: ["__proto__", "title", "qty"] };
    const decoded = decodeCompactPush(encode(body)) as PushRequest;
    expect(Object.keys(decoded.ops[0]?.fields ?? {})).toEqual(["__proto__"]);
    expect(pushRequestSchema.safeParse(decoded).success).toBe(false);
  });
});
