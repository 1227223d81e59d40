import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  changesSchema,
  credentialsSchema,
  errorEnvelopeSchema,
  joinListRequestSchema,
  LIMITS,
  operationSchema,
  PROTOCOL_VERSION,
  pokeSchema,
  pullQuerySchema,
  pullResponseSchema,
  pushRequestSchema,
  pushResponseSchema,
} from "./index.js";

const clientId = "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c7d";
const hlc = "m3x9k2a1b0001abcdefghijk";

function op(overrides: Record<string, unknown> = {}) {
  return {
    opId: "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c70",
    clientId,
    seq: 1,
    entity: "item",
    id: "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c71",
    kind: "update",
    fields: { text: "Milk" },
    hlc,
    ...overrides,
  };
}

const row = {
  entity: "item",
  id: "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c71",
  version: 7,
  fields: { text: "Milk", checked: false, qty: 2 },
  clocks: { text: hlc, $deleted: hlc },
  deleted: false,
};

describe("operation", () => {
  it("[W1] accepts each kind of operation", () => {
    for (const kind of ["create", "update", "delete", "restore", "increment"]) {
      expect(operationSchema.safeParse(op({ kind })).success).toBe(true);
    }
    expect(operationSchema.safeParse(op({ base: { title: hlc } })).success).toBe(true);
  });

  const bad: [string, Record<string, unknown>][] = [
    ["missing opId", { opId: undefined }],
    ["non-uuid opId", { opId: "42" }],
    ["seq zero", { seq: 0 }],
    ["fractional seq", { seq: 1.5 }],
    ["seq as string", { seq: "1" }],
    ["unknown kind", { kind: "upsert" }],
    ["set kinds are not part of v1", { kind: "set-add" }],
    ["entity with spaces", { entity: "drop table" }],
    ["entity too long", { entity: "a".repeat(LIMITS.maxNameLength + 1) }],
    ["bad hlc", { hlc: "2024-01-01T00:00:00Z" }],
    ["uppercase hlc", { hlc: hlc.toUpperCase() }],
    ["fields not an object", { fields: "text=Milk" }],
    ["nested object value", { fields: { text: { $gt: "" } } }],
    ["NaN is not JSON", { fields: { qty: Number.NaN } }],
    ["infinite number", { fields: { qty: Number.POSITIVE_INFINITY } }],
    ["oversized string", { fields: { text: "x".repeat(LIMITS.maxStringLength + 1) } }],
    ["field name with symbols", { fields: { "a.b": 1 } }],
    ["prototype key", { fields: JSON.parse('{"__proto__": 1}') }],
    [
      "too many fields",
      { fields: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`f${i}`, 1])) },
    ],
    ["extra top-level key", { userId: "someone-else" }],
    ["bad base clock", { base: { title: "nope" } }],
  ];
  it.each(bad)("[W2] rejects %s", (_name, overrides) => {
    const candidate = op(overrides);
    for (const [key, value] of Object.entries(overrides)) {
      if (value === undefined) delete (candidate as Record<string, unknown>)[key];
    }
    expect(operationSchema.safeParse(candidate).success).toBe(false);
  });
});

describe("push", () => {
  const request = {
    protocolVersion: PROTOCOL_VERSION,
    clientId,
    ops: [op(), op({ seq: 2, opId: "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c72" })],
  };

  it("[W1] accepts a batch in seq order", () => {
    expect(pushRequestSchema.safeParse(request).success).toBe(true);
  });

  it.each([
    ["an empty batch", { ...request, ops: [] }],
    ["ops out of seq order", { ...request, ops: [request.ops[1], request.ops[0]] }],
    [
      "an op of another client",
      { ...request, ops: [op({ clientId: "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c79" })] },
    ],
    ["a missing protocol version", { clientId, ops: request.ops }],
    ["an unknown key", { ...request, admin: true }],
    [
      "more ops than the limit",
      {
        ...request,
        ops: Array.from({ length: LIMITS.maxOpsPerPush + 1 }, (_, i) => op({ seq: i + 1 })),
      },
    ],
  ])("[W2] rejects %s", (_name, candidate) => {
    expect(pushRequestSchema.safeParse(candidate).success).toBe(false);
  });

  it("[W1] parses each result status", () => {
    const response = {
      serverTime: 1_700_000_000_000,
      cursor: 7,
      results: [
        { opId: clientId, seq: 1, status: "applied", row },
        { opId: clientId, seq: 2, status: "applied", row, restampedHlc: hlc, conflicts: [] },
        { opId: clientId, seq: 3, status: "rejected", code: "NOT_A_MEMBER", message: "no" },
        { opId: clientId, seq: 4, status: "duplicate", original: "applied", row },
      ],
    };
    expect(pushResponseSchema.safeParse(response).success).toBe(true);
    const wrongCode = { ...response, results: [{ ...response.results[2], code: "NOPE" }] };
    expect(pushResponseSchema.safeParse(wrongCode).success).toBe(false);
  });
});

describe("pull", () => {
  it("[W1] defaults and coerces the query string", () => {
    expect(pullQuerySchema.parse({})).toEqual({ cursor: 0, limit: LIMITS.defaultPullLimit });
    expect(pullQuerySchema.parse({ cursor: "12", limit: "3" })).toEqual({ cursor: 12, limit: 3 });
  });

  it.each([
    ["a negative cursor", { cursor: "-1" }],
    ["a non-numeric cursor", { cursor: "abc" }],
    ["a timestamp cursor", { cursor: "2024-01-01" }],
    ["a limit over the maximum", { limit: String(LIMITS.maxPullLimit + 1) }],
    ["a zero limit", { limit: "0" }],
    ["an unknown parameter", { since: "0" }],
    ["an overlong number", { cursor: "1".repeat(20) }],
  ])("[W2] rejects %s", (_name, query) => {
    expect(pullQuerySchema.safeParse(query).success).toBe(false);
  });

  it("[W1] parses a page of rows", () => {
    expect(
      pullResponseSchema.safeParse({ rows: [row], cursor: 7, hasMore: false, serverTime: 1 })
        .success,
    ).toBe(true);
    expect(
      pullResponseSchema.safeParse({
        rows: [{ ...row, version: -1 }],
        cursor: 7,
        hasMore: false,
        serverTime: 1,
      }).success,
    ).toBe(false);
  });
});

describe("other messages", () => {
  it("[W1] accepts good messages", () => {
    expect(pokeSchema.safeParse({ cursor: 3 }).success).toBe(true);
    expect(changesSchema.safeParse({ from: 3, cursor: 5, rows: [row] }).success).toBe(true);
    expect(
      credentialsSchema.safeParse({ username: "alice", password: "correct horse" }).success,
    ).toBe(true);
    expect(joinListRequestSchema.safeParse({ code: "ABCDE12345" }).success).toBe(true);
    expect(
      errorEnvelopeSchema.safeParse({ error: { code: "VALIDATION", message: "bad", details: [] } })
        .success,
    ).toBe(true);
  });

  it.each([
    ["a poke without cursor", pokeSchema, {}],
    ["changes without from", changesSchema, { cursor: 5, rows: [] }],
    [
      "changes over the row limit",
      changesSchema,
      { from: 3, cursor: 5, rows: Array.from({ length: LIMITS.maxStreamRows + 1 }, () => row) },
    ],
    ["a short password", credentialsSchema, { username: "alice", password: "short" }],
    ["a username with spaces", credentialsSchema, { username: "al ice", password: "long enough" }],
    [
      "an overlong password",
      credentialsSchema,
      { username: "alice", password: "x".repeat(LIMITS.maxPasswordLength + 1) },
    ],
    ["a lowercase invite code", joinListRequestSchema, { code: "abcde12345" }],
    ["an error without message", errorEnvelopeSchema, { error: { code: "VALIDATION" } }],
    ["an unknown error code", errorEnvelopeSchema, { error: { code: "OOPS", message: "x" } }],
  ] as const)("[W2] rejects %s", (_name, schema, value) => {
    expect((schema as z.ZodType).safeParse(value).success).toBe(false);
  });
});

describe("versioning", () => {
  it("[W3] a wire change forces a conscious PROTOCOL_VERSION bump", () => {
    const schemas = {
      operationSchema,
      pushRequestSchema,
      pushResponseSchema,
      pullResponseSchema,
      pokeSchema,
      changesSchema,
    };
    const shape = JSON.stringify(
      Object.fromEntries(
        Object.entries(schemas).map(([name, s]) => [
          name,
          z.toJSONSchema(s, { io: "input", unrepresentable: "any" }),
        ]),
      ),
    );
    const hash = createHash("sha256").update(shape).digest("hex").slice(0, 16);
    // When this fails: bump PROTOCOL_VERSION (and MIN_PROTOCOL_VERSION if old clients break), then update the pair.
    expect({ version: PROTOCOL_VERSION, hash }).toEqual({ version: 3, hash: "fed4f5180f903133" });
  });
});
