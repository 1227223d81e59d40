import { connect } from "node:net";
import { decode, encode } from "@msgpack/msgpack";
import {
  COMPACT_PUSH_CONTENT_TYPE,
  encodeCompactPush,
  LIMITS,
  PROTOCOL_VERSION,
  type PushRequest,
} from "@sync/protocol";
import { sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executeRows } from "../db/rows.js";
import { type HttpServer, startHttpServer } from "../serve.js";
import { createHarness, type Harness, type TestClient } from "../testing/harness.js";
import { TEST_PASSWORD } from "../testing/start-test-server.js";
import { availableBackends } from "../testing/test-database.js";

interface Case {
  name: string;
  method: string;
  path: string;
  /** Whose session to send: alice by default; "none" for no credentials; or a raw header set. */
  as?: "alice" | "bob" | "none";
  headers?: Record<string, string>;
  /** A string is sent as is, bytes as a compact push; anything else as JSON. */
  body?: unknown;
  status: number;
  code: string;
}

const JSON_TYPE = { "content-type": "application/json" };
const COMPACT_TYPE = { "content-type": COMPACT_PUSH_CONTENT_TYPE };
/** Marker: send the body with no Content-Type header at all. */
const NO_TYPE = { "content-type": "" };
const uuid = () => uuidv7();
const HLC = "0000000000000abcdefghijk";

/** A well-formed operation the cases below break one field at a time. */
function op(clientId: string, patch: Record<string, unknown> = {}) {
  return {
    opId: uuid(),
    clientId,
    seq: 1,
    entity: "item",
    id: uuid(),
    kind: "update",
    fields: { text: "x" },
    hlc: HLC,
    ...patch,
  };
}

function pushBody(
  clientId: string,
  patch: Record<string, unknown> = {},
  opPatch?: Record<string, unknown>,
) {
  return { protocolVersion: PROTOCOL_VERSION, clientId, ops: [op(clientId, opPatch)], ...patch };
}

/** The compact encoding of a push body, as a map to break one column at a time. */
const compactMap = (body: ReturnType<typeof pushBody>): Record<string, unknown> =>
  decode(encodeCompactPush(body as PushRequest)) as Record<string, unknown>;

/** Compact push bodies (V3): schema failures as in JSON, broken encodings 400 BAD_REQUEST. */
function compactCases(c: string): Case[] {
  const compact = (name: string, body: Uint8Array, code = "BAD_REQUEST", status = 400): Case => ({
    name: `compact push: ${name}`,
    method: "POST",
    path: "/api/sync/push",
    body,
    status,
    code,
  });
  const two = {
    ...pushBody(c),
    ops: [op(c, { seq: 1 }), op(c, { seq: 2, entity: "list", fields: { title: "t", x: 1 } })],
  };
  const broken = (
    name: string,
    patch: (m: Record<string, unknown>) => unknown,
    code = "BAD_REQUEST",
    status = 400,
  ) => compact(name, encode(patch(compactMap(two))), code, status);
  const valid = encodeCompactPush(two as PushRequest);
  const schema = (name: string, body: unknown, code = "VALIDATION", status = 400) =>
    compact(name, encodeCompactPush(body as PushRequest), code, status);
  const many = {
    ...pushBody(c),
    ops: Array.from({ length: LIMITS.maxOpsPerPush + 1 }, (_, i) => op(c, { seq: i + 1 })),
  };
  return [
    schema("ops out of seq order", { ...two, ops: [op(c, { seq: 2 }), op(c, { seq: 1 })] }),
    schema("entity capitalised", pushBody(c, {}, { entity: "Item" })),
    schema("field value too long", pushBody(c, {}, { fields: { text: "x".repeat(2_001) } })),
    schema("clientId not a uuid", pushBody("me")),
    schema("protocolVersion 0", pushBody(c, { protocolVersion: 0 }), "CLIENT_TOO_OLD"),
    schema("protocolVersion too new", pushBody(c, { protocolVersion: 99 }), "CLIENT_TOO_NEW"),
    schema("clientId of another user", pushBody(c), "CLIENT_MISMATCH", 403),
    schema("ops empty", { ...pushBody(c), ops: [] }),
    broken("node id uppercase", (m) => ({ ...m, h: ["ABCDEFGHIJK"] }), "VALIDATION"),
    broken("field name __proto__", (m) => ({ ...m, f: ["__proto__", "title", "x"] }), "VALIDATION"),
    broken("set of numbers", (m) => ({ ...m, fv: [[1, 2], "t", 1] }), "VALIDATION"),
    broken("field value an object", (m) => ({ ...m, fv: [{ $ne: null }, "t", 1] }), "VALIDATION"),
    broken("base clock malformed", (m) => ({ ...m, b: [[0, [0, "nope"]]] }), "VALIDATION"),
    compact("broken MessagePack", new Uint8Array([0xc1, 0x00])),
    compact("empty body", new Uint8Array(0)),
    compact("truncated", valid.slice(0, valid.length - 3)),
    compact("trailing bytes", new Uint8Array([...valid, 0xc0])),
    compact("JSON sent as compact", new TextEncoder().encode(JSON.stringify(two))),
    broken("an array at the top level", (m) => Object.values(m)),
    broken("an unknown key", (m) => ({ ...m, userId: "x" })),
    broken("the kinds column missing", ({ k: _, ...m }) => m),
    broken("a seq column too short", (m) => ({ ...m, s: [1] })),
    broken("an opId blob of 31 bytes", (m) => ({ ...m, o: new Uint8Array(31) })),
    broken("an id blob of 48 bytes", (m) => ({ ...m, i: new Uint8Array(48) })),
    broken("a clientId of 17 bytes", (m) => ({ ...m, c: new Uint8Array(17) })),
    broken("a kind out of range", (m) => ({ ...m, k: [1, 7] })),
    broken("an entity index out of range", (m) => ({ ...m, ei: [0, 2] })),
    broken("a node index without a node", (m) => ({ ...m, h: [] })),
    broken("a shape index out of range", (m) => ({ ...m, fi: [0, 2] })),
    broken("a field name index out of range", (m) => ({ ...m, fs: [[0], [1, 5]] })),
    broken("a value missing", (m) => ({ ...m, fv: ["x", "t"] })),
    broken("a negative wall", (m) => ({ ...m, w: [0, -1] })),
    broken("a base of an op that is not there", (m) => ({ ...m, b: [[2, []]] })),
    compact(
      "too many operations",
      encodeCompactPush(many as PushRequest),
      "TOO_MANY_OPERATIONS",
      413,
    ),
    broken(
      "too many kinds",
      (m) => ({ ...m, k: new Array(LIMITS.maxOpsPerPush + 1).fill(1) }),
      "TOO_MANY_OPERATIONS",
      413,
    ),
    compact(
      "over the body limit",
      new Uint8Array(LIMITS.maxBodyBytes + 1),
      "PAYLOAD_TOO_LARGE",
      413,
    ),
    {
      ...compact("generic msgpack type", valid, "UNSUPPORTED_MEDIA_TYPE", 415),
      headers: { "content-type": "application/msgpack" },
    },
    {
      ...compact("lookalike type", valid, "UNSUPPORTED_MEDIA_TYPE", 415),
      headers: { "content-type": `${COMPACT_PUSH_CONTENT_TYPE}x` },
    },
  ];
}

function cases(ctx: { aliceClient: string; listId: string }): Case[] {
  const c = ctx.aliceClient;
  const push = (name: string, body: unknown, code = "VALIDATION", status = 400): Case => ({
    name: `push: ${name}`,
    method: "POST",
    path: "/api/sync/push",
    body,
    status,
    code,
  });
  const badOp = (name: string, patch: Record<string, unknown>) =>
    push(`op ${name}`, pushBody(c, {}, patch));
  const credentialCases = (path: string): Case[] => {
    const k = (
      name: string,
      body: unknown,
      status = 400,
      code = "VALIDATION",
      headers?: Record<string, string>,
    ): Case => ({
      name: `${path}: ${name}`,
      method: "POST",
      path,
      as: "none",
      body,
      status,
      code,
      ...(headers ? { headers } : {}),
    });
    const ok = { username: "newname", password: TEST_PASSWORD };
    return [
      k("no content type", JSON.stringify(ok), 415, "UNSUPPORTED_MEDIA_TYPE", NO_TYPE),
      k("text/plain", JSON.stringify(ok), 415, "UNSUPPORTED_MEDIA_TYPE", {
        "content-type": "text/plain",
      }),
      k("form encoded", "username=a&password=b", 415, "UNSUPPORTED_MEDIA_TYPE", {
        "content-type": "application/x-www-form-urlencoded",
      }),
      k("lookalike type", JSON.stringify(ok), 415, "UNSUPPORTED_MEDIA_TYPE", {
        "content-type": "application/jsonx",
      }),
      k("broken JSON", '{"username":', 400, "INVALID_JSON"),
      k("empty body", "", 400, "INVALID_JSON"),
      k("trailing garbage", `${JSON.stringify(ok)}x`, 400, "INVALID_JSON"),
      k("null", null),
      k("array", [ok]),
      k("missing password", { username: "newname" }),
      k("username too short", { ...ok, username: "ab" }),
      k("username too long", { ...ok, username: "a".repeat(LIMITS.maxUsernameLength + 1) }),
      k("username with a space", { ...ok, username: "new name" }),
      k("username with markup", { ...ok, username: "<script>" }),
      k("password too short", { ...ok, password: "short" }),
      k("password too long", { ...ok, password: "p".repeat(LIMITS.maxPasswordLength + 1) }),
      k("unknown field", { ...ok, admin: true }),
      k("username not a string", { ...ok, username: 12345 }),
      k(
        "__proto__ key",
        JSON.parse(`{"username":"newname","password":"${TEST_PASSWORD}","__proto__":{"x":1}}`),
      ),
    ];
  };
  const noAuth = (method: string, path: string): Case => ({
    name: `no session: ${method} ${path}`,
    method,
    path,
    as: "none",
    ...(method === "POST" ? { body: {} } : {}),
    status: 401,
    code: "UNAUTHORIZED",
  });
  const wrongMethod = (method: string, path: string): Case => ({
    name: `wrong method: ${method} ${path}`,
    method,
    path,
    status: 405,
    code: "METHOD_NOT_ALLOWED",
  });
  const pull = (query: string): Case => ({
    name: `pull: ?${query}`,
    method: "GET",
    path: `/api/sync/pull?${query}`,
    status: 400,
    code: "VALIDATION",
  });
  const join = (
    name: string,
    body: unknown,
    status = 400,
    code = "VALIDATION",
    headers?: Record<string, string>,
  ): Case => ({
    name: `join: ${name}`,
    method: "POST",
    path: "/api/lists/join",
    body,
    status,
    code,
    ...(headers ? { headers } : {}),
  });
  const manyFields = Object.fromEntries(
    Array.from({ length: LIMITS.maxFieldsPerOp + 1 }, (_, i) => [`f${i}`, 1]),
  );
  return [
    { name: "unknown API route", method: "GET", path: "/api/nope", status: 404, code: "NOT_FOUND" },
    {
      name: "unknown API route (POST)",
      method: "POST",
      path: "/api/sync/nope",
      body: {},
      status: 404,
      code: "NOT_FOUND",
    },
    { name: "bare /api", method: "GET", path: "/api", status: 404, code: "NOT_FOUND" },
    {
      name: "path traversal",
      method: "GET",
      path: "/api/../../etc/passwd",
      status: 404,
      code: "NOT_FOUND",
    },
    wrongMethod("GET", "/api/sync/push"),
    wrongMethod("PUT", "/api/sync/push"),
    wrongMethod("POST", "/api/sync/pull"),
    wrongMethod("DELETE", "/api/sync/pull"),
    wrongMethod("POST", "/api/sync/stream"),
    wrongMethod("GET", "/api/auth/signup"),
    wrongMethod("GET", "/api/auth/signin"),
    wrongMethod("GET", "/api/auth/signout"),
    wrongMethod("POST", "/api/auth/me"),
    wrongMethod("GET", "/api/lists/join"),
    wrongMethod("GET", `/api/lists/${ctx.listId}/leave`),
    wrongMethod("POST", "/api/health"),
    ...credentialCases("/api/auth/signup"),
    ...credentialCases("/api/auth/signin"),
    {
      name: "signup: taken username",
      method: "POST",
      path: "/api/auth/signup",
      as: "none",
      body: { username: "alice", password: TEST_PASSWORD },
      status: 409,
      code: "USERNAME_TAKEN",
    },
    {
      name: "signin: wrong password",
      method: "POST",
      path: "/api/auth/signin",
      as: "none",
      body: { username: "alice", password: "not-the-password" },
      status: 401,
      code: "INVALID_CREDENTIALS",
    },
    noAuth("POST", "/api/sync/push"),
    noAuth("GET", "/api/sync/pull"),
    noAuth("GET", "/api/sync/stream"),
    noAuth("POST", "/api/lists/join"),
    noAuth("POST", `/api/lists/${ctx.listId}/leave`),
    noAuth("POST", "/api/auth/signout"),
    noAuth("GET", "/api/auth/me"),
    {
      name: "garbage bearer",
      method: "GET",
      path: "/api/auth/me",
      as: "none",
      headers: { authorization: "Bearer garbage" },
      status: 401,
      code: "UNAUTHORIZED",
    },
    {
      name: "unknown bearer",
      method: "GET",
      path: "/api/auth/me",
      as: "none",
      headers: { authorization: `Bearer ${"A".repeat(43)}` },
      status: 401,
      code: "UNAUTHORIZED",
    },
    {
      name: "basic auth",
      method: "GET",
      path: "/api/auth/me",
      as: "none",
      headers: { authorization: "Basic YWxpY2U6cGFzcw==" },
      status: 401,
      code: "UNAUTHORIZED",
    },
    {
      name: "huge bearer",
      method: "GET",
      path: "/api/auth/me",
      as: "none",
      headers: { authorization: `Bearer ${"A".repeat(4000)}` },
      status: 401,
      code: "UNAUTHORIZED",
    },
    {
      name: "forged cookie",
      method: "GET",
      path: "/api/sync/pull",
      as: "none",
      headers: { cookie: "sid=forged-session-token-value-0000" },
      status: 401,
      code: "UNAUTHORIZED",
    },
    {
      ...push("no content type", JSON.stringify(pushBody(c)), "UNSUPPORTED_MEDIA_TYPE", 415),
      headers: NO_TYPE,
    },
    {
      ...push("text/plain", JSON.stringify(pushBody(c)), "UNSUPPORTED_MEDIA_TYPE", 415),
      headers: { "content-type": "text/plain" },
    },
    push("broken JSON", '{"protocolVersion":1,', "INVALID_JSON"),
    push("single quotes", "{'ops':[]}", "INVALID_JSON"),
    push("a JSON string", JSON.stringify("string")),
    push("a number", 42),
    push("empty object", {}),
    push("ops missing", { protocolVersion: 1, clientId: c }),
    push("ops empty", { protocolVersion: 1, clientId: c, ops: [] }),
    push("ops not an array", { protocolVersion: 1, clientId: c, ops: {} }),
    push(
      "protocolVersion 0 (older than the minimum)",
      pushBody(c, { protocolVersion: 0 }),
      "CLIENT_TOO_OLD",
    ),
    push(
      "protocolVersion negative, old shape",
      { protocolVersion: -1, changes: [] },
      "CLIENT_TOO_OLD",
    ),
    push(
      "protocolVersion newer than the server's",
      pushBody(c, { protocolVersion: PROTOCOL_VERSION + 1 }),
      "CLIENT_TOO_NEW",
    ),
    push("protocolVersion a string", pushBody(c, { protocolVersion: "1" })),
    push("protocolVersion fractional", pushBody(c, { protocolVersion: 1.5 })),
    push("clientId not a uuid", pushBody(c, { clientId: "me" })),
    push("unknown top-level field", pushBody(c, { userId: uuid() })),
    push("op of another clientId", { protocolVersion: 1, clientId: c, ops: [op(uuid())] }),
    push("ops out of seq order", {
      protocolVersion: 1,
      clientId: c,
      ops: [op(c, { seq: 2 }), op(c, { seq: 1 })],
    }),
    push("repeated seq", {
      protocolVersion: 1,
      clientId: c,
      ops: [op(c, { seq: 3 }), op(c, { seq: 3 })],
    }),
    push(
      "too many operations",
      {
        protocolVersion: 1,
        clientId: c,
        ops: Array.from({ length: LIMITS.maxOpsPerPush + 1 }, (_, i) => op(c, { seq: i + 1 })),
      },
      "TOO_MANY_OPERATIONS",
      413,
    ),
    push(
      "body over the limit",
      JSON.stringify({ pad: "x".repeat(LIMITS.maxBodyBytes) }),
      "PAYLOAD_TOO_LARGE",
      413,
    ),
    push("clientId of another user", pushBody(ctx.aliceClient), "CLIENT_MISMATCH", 403),
    ...compactCases(c),
    badOp("seq 0", { seq: 0 }),
    badOp("seq negative", { seq: -1 }),
    badOp("seq fractional", { seq: 1.5 }),
    badOp("seq a string", { seq: "1" }),
    badOp("opId missing", { opId: undefined }),
    badOp("opId not a uuid", { opId: "op-1" }),
    badOp("id not a uuid", { id: "1 OR 1=1" }),
    badOp("entity capitalised", { entity: "Item" }),
    badOp("entity too long", { entity: `a${"b".repeat(LIMITS.maxNameLength)}` }),
    badOp("entity with SQL", { entity: "item; drop table items" }),
    badOp("entity empty", { entity: "" }),
    badOp("kind unknown", { kind: "upsert" }),
    badOp("kind missing", { kind: undefined }),
    badOp("fields an array", { fields: ["text"] }),
    badOp("fields null", { fields: null }),
    badOp("field value an object", { fields: { text: { $ne: null } } }),
    badOp("field value too long", { fields: { text: "x".repeat(LIMITS.maxStringLength + 1) } }),
    badOp("field name with $", { fields: { $deleted: true } }),
    badOp("field name __proto__", { fields: JSON.parse('{"__proto__":"x"}') }),
    badOp("too many fields", { fields: manyFields }),
    badOp("set too large", {
      fields: { tags: Array.from({ length: LIMITS.maxSetSize + 1 }, () => "t") },
    }),
    badOp("set of numbers", { fields: { tags: [1, 2] } }),
    push(
      "op number overflow to Infinity",
      JSON.stringify(pushBody(c, {}, { fields: { qty: 7 } })).replace('"qty":7', '"qty":1e400'),
    ),
    badOp("hlc malformed", { hlc: "yesterday" }),
    badOp("hlc uppercase", { hlc: HLC.toUpperCase() }),
    badOp("hlc too short", { hlc: HLC.slice(1) }),
    badOp("base not a record", { base: "x" }),
    badOp("base clock malformed", { base: { text: "nope" } }),
    badOp("unknown op field", { listId: uuid() }),
    pull("cursor=-1"),
    pull("cursor=abc"),
    pull("cursor=1.5"),
    pull("cursor=1e3"),
    pull("cursor=12345678901234567"),
    pull("cursor="),
    pull("limit=0"),
    pull(`limit=${LIMITS.maxPullLimit + 1}`),
    pull("limit=-5"),
    pull("limit=ten"),
    pull("since=0"),
    pull("clientId=not-a-uuid"),
    pull("clientId="),
    pull("cursor=0x10"),
    join(
      "no content type",
      JSON.stringify({ code: "ABCDEFGHIJ" }),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      NO_TYPE,
    ),
    join("broken JSON", "{code:", 400, "INVALID_JSON"),
    join("code missing", {}),
    join("code too short", { code: "ABC" }),
    join("code too long", { code: "ABCDEFGHIJK" }),
    join("code lowercase", { code: "abcdefghij" }),
    join("code with symbols", { code: "ABCDE'--AB" }),
    join("code a number", { code: 1234567890 }),
    join("unknown field", { code: "ABCDEFGHIJ", listId: ctx.listId }),
    join("unknown code", { code: "ZZZZZZZZZZ" }, 404, "INVALID_INVITE"),
    {
      name: "leave: id not a uuid",
      method: "POST",
      path: "/api/lists/not-a-uuid/leave",
      status: 400,
      code: "VALIDATION",
    },
    {
      name: "leave: list of someone else",
      method: "POST",
      path: `/api/lists/${ctx.listId}/leave`,
      as: "bob",
      status: 403,
      code: "NOT_A_MEMBER",
    },
    {
      name: "leave: unknown list",
      method: "POST",
      path: `/api/lists/${uuid()}/leave`,
      status: 403,
      code: "NOT_A_MEMBER",
    },
  ];
}

const ALICE_CLIENT = uuidv7();
const LIST_ID = uuidv7();

describe.each(availableBackends())("[V1] malformed input (%s)", (backend) => {
  let h: Harness;
  let http: HttpServer;
  let base: string;
  let alice: TestClient;
  let bob: TestClient;

  const snapshot = async () =>
    executeRows<Record<string, string>>(
      h.testDb.database.db,
      sql`select
        (select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from users t) as users,
        (select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from sessions t) as sessions,
        (select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from clients t) as clients,
        (select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from applied_ops t) as applied_ops,
        (select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from lists t) as lists,
        (select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from items t) as items,
        (select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from memberships t) as memberships,
        (select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from server_meta t) as server_meta`,
    );

  beforeAll(async () => {
    h = await createHarness(backend);
    await h.reset({ config: { signinMaxAttempts: 1_000 } });
    http = await startHttpServer(h.server.app, { port: 0, host: "127.0.0.1" });
    base = `http://127.0.0.1:${http.port}`;
    alice = await h.signup("alice");
    alice.clientId = ALICE_CLIENT;
    bob = await h.signup("bob");
    const list = alice.createList("Groceries", LIST_ID);
    await alice.push(list, alice.createItem(list.id));
  });
  afterAll(async () => {
    await h.server.close();
    await http.close();
    await h.close();
  });

  const corpus = cases({ aliceClient: ALICE_CLIENT, listId: LIST_ID });

  it("[V1] the corpus has at least 100 cases", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(100);
  });

  it.each(corpus.map((k) => [k.name, k] as const))(
    "[V1] %s: status, error envelope, nothing changed, still healthy",
    async (_name, k) => {
      const before = await snapshot();
      const who = k.as ?? (k.code === "CLIENT_MISMATCH" ? "bob" : "alice");
      const auth = who === "none" ? {} : (who === "alice" ? alice : bob).auth;
      const bytes = k.body instanceof Uint8Array ? k.body : undefined;
      const headers: Record<string, string> = {
        ...(k.body === undefined ? {} : bytes ? COMPACT_TYPE : JSON_TYPE),
        ...(k.headers ?? {}),
        ...auth,
      };
      const text =
        k.body === undefined
          ? undefined
          : typeof k.body === "string"
            ? k.body
            : JSON.stringify(k.body);
      // A typed array body makes fetch send no Content-Type of its own.
      const untyped = headers["content-type"] === "";
      if (untyped) delete headers["content-type"];
      const body =
        bytes ?? (text === undefined ? undefined : untyped ? new TextEncoder().encode(text) : text);
      const res = await fetch(`${base}${k.path}`, {
        method: k.method,
        headers,
        ...(body === undefined ? {} : { body }),
      });
      const answer = await res.text();
      expect(res.status, answer).toBe(k.status);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      const envelope = JSON.parse(answer) as { error?: { code?: string; message?: string } };
      expect(envelope.error?.code, answer).toBe(k.code);
      expect(typeof envelope.error?.message).toBe("string");
      expect(await snapshot()).toEqual(before);
      const health = await fetch(`${base}/api/health`);
      expect(health.status).toBe(200);
    },
  );

  it("[V2] a chunked body over the limit is refused with 413 and changes nothing", async () => {
    const before = await snapshot();
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > LIMITS.maxBodyBytes + chunk.length) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${base}/api/sync/push`, {
      method: "POST",
      headers: { ...JSON_TYPE, ...alice.auth },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
    expect(await snapshot()).toEqual(before);
  });

  it("[V2] conflicting Content-Length and Transfer-Encoding get a 400 envelope", async () => {
    const before = await snapshot();
    const body = JSON.stringify(pushBody(alice.clientId));
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(http.port, "127.0.0.1", () => {
        socket.write(
          `POST /api/sync/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${alice.token}\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
        );
      });
      let data = "";
      socket.on("data", (d) => {
        data += d.toString();
      });
      socket.on("end", () => resolve(data));
      socket.on("error", reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toContain('"code":"BAD_REQUEST"');
    expect(await snapshot()).toEqual(before);
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
  });
});
