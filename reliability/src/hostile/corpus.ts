import { LIMITS, PROTOCOL_VERSION } from "@sync/protocol";
import { v7 as uuidv7 } from "uuid";
import type { RawClient } from "../support/raw-client.js";
import { rawRequest } from "../support/raw-http.js";

export interface HostileContext {
  readonly url: string;
  /** Member of `listId` (owner), with `itemId` in it. */
  readonly alice: RawClient;
  /** Not a member of alice's list; owns `bobListId`. */
  readonly bob: RawClient;
  readonly listId: string;
  readonly itemId: string;
  readonly bobListId: string;
  /** A token that was valid until its signout. */
  readonly revokedToken: string;
}

export interface Answer {
  readonly status: number;
  readonly body: string;
}

/**
 * "http": refused as a whole with a 4xx and the envelope, no row anywhere changes.
 * "op": the push is well-formed, every operation in it is rejected (200, per-op results);
 * entity tables stay as they were, only the dedup log records the rejection.
 * "raw": bytes fetch will not send, against the real listener (startTestServer: node's parser
 * errors get the envelope there); unchanged is checked through every user's pull.
 */
export interface HostileCase {
  readonly name: string;
  readonly kind: "http" | "op" | "raw";
  readonly status?: number;
  send(ctx: HostileContext): Promise<Answer>;
}

const JSON_POSTS = [
  "/api/auth/signup",
  "/api/auth/signin",
  "/api/sync/push",
  "/api/lists/join",
] as const;

async function request(
  ctx: HostileContext,
  method: string,
  path: string,
  options: {
    body?: string;
    headers?: Record<string, string>;
    token?: string | null;
  } = {},
): Promise<Answer> {
  const token = options.token === undefined ? ctx.alice.session.token : options.token;
  const res = await fetch(`${ctx.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  return { status: res.status, body: await res.text() };
}

const post =
  (path: string, body: string, headers?: Record<string, string>) => (ctx: HostileContext) =>
    request(ctx, "POST", path, { body, ...(headers ? { headers } : {}) });

/** A push body from alice's client with the given ops (or raw replacement of the whole body). */
const push =
  (build: (ctx: HostileContext) => unknown, as: "alice" | "bob" = "alice") =>
  (ctx: HostileContext) =>
    request(ctx, "POST", "/api/sync/push", {
      body: JSON.stringify(build(ctx)),
      token: (as === "alice" ? ctx.alice : ctx.bob).session.token,
    });

const envelopeOf = (ctx: HostileContext, ops: unknown, clientId = ctx.alice.clientId) => ({
  protocolVersion: PROTOCOL_VERSION,
  clientId,
  ops,
});

/** A well-formed op of alice's client with one thing changed. */
const opWith = (ctx: HostileContext, patch: Record<string, unknown>) => ({
  ...ctx.alice.op({
    entity: "item",
    id: uuidv7(),
    kind: "create",
    fields: { listId: ctx.listId, text: "x" },
  }),
  ...patch,
});

const deep = (depth: number, open: string, close: string, inner = "1") =>
  open.repeat(depth) + inner + close.repeat(depth);

const BROKEN_JSON = [
  "",
  "{",
  "}",
  "[",
  '{"a":}',
  "{'a':1}",
  '{"a":1,}',
  "[1,2,]",
  "nul",
  "undefined",
  "NaN",
  '{"a":NaN}',
  "\u0000",
  "\uFEFF{}garbage",
  '{"ops": [',
  '{"a":"\\uZZZZ"}',
  '{"a":1}{"b":2}',
  "--\r\nContent-Disposition: form-data",
];

const NOT_OBJECTS = ["null", "true", "0", '"string"', "[]", "[{}]", "{}"];

const CONTENT_TYPES = [
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/jsonx",
  "",
];

const BAD_TOKENS = [
  "",
  "Bearer",
  "Bearer ",
  "Basic YWxpY2U6cGFzc3dvcmQ=",
  "Bearer short",
  "Bearer has spaces in it 000000000000",
  `Bearer ${"a".repeat(101)}`,
  "Bearer ' OR 1=1 --aaaaaaaaaaaaaaaaaa",
  "Bearer ../../../../etc/passwdaaaaaaaaa",
  "Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
];

const AUTHED: readonly (readonly [string, string])[] = [
  ["POST", "/api/sync/push"],
  ["GET", "/api/sync/pull?cursor=0"],
  ["GET", "/api/sync/stream"],
  ["POST", "/api/lists/join"],
  ["GET", "/api/auth/me"],
  ["POST", "/api/auth/signout"],
];

const PULL_QUERIES = [
  "cursor=-1",
  "cursor=abc",
  "cursor=1.5",
  "cursor=1e309",
  "cursor=99999999999999999999999",
  "cursor=0&limit=0",
  "cursor=0&limit=-5",
  "cursor=0&limit=100000",
  "cursor=0&limit=abc",
  "cursor=0;select%20pg_sleep(5)",
  "cursor=%27%20or%201%3D1--",
  "cursor[]=1",
];

const BAD_CREDENTIALS: readonly unknown[] = [
  { username: "ab", password: "correct-horse-1" },
  { username: "a".repeat(41), password: "correct-horse-1" },
  { username: "has space", password: "correct-horse-1" },
  { username: "x'; drop table users; --", password: "correct-horse-1" },
  { username: "okname", password: "short" },
  { username: "okname", password: "p".repeat(201) },
  { username: 12345, password: "correct-horse-1" },
  { username: "okname", password: ["correct-horse-1"] },
  { username: "okname" },
  { password: "correct-horse-1" },
  { username: "okname", password: "correct-horse-1", isAdmin: true },
  { username: "u".repeat(100_000), password: "correct-horse-1" },
];

const BAD_PUSH_SHAPES: readonly ((ctx: HostileContext) => unknown)[] = [
  (ctx) => ({ ...envelopeOf(ctx, []), protocolVersion: "1" }),
  (ctx) => ({ ...envelopeOf(ctx, []), protocolVersion: 0 }),
  (ctx) => ({ ...envelopeOf(ctx, []), protocolVersion: 1.5 }),
  (ctx) => envelopeOf(ctx, []),
  (ctx) => envelopeOf(ctx, {}),
  (ctx) => envelopeOf(ctx, "ops"),
  (ctx) => envelopeOf(ctx, null),
  (ctx) => ({ ...envelopeOf(ctx, [opWith(ctx, {})]), clientId: 5 }),
  (ctx) => ({ ...envelopeOf(ctx, [opWith(ctx, {})]), clientId: "not-a-uuid" }),
  (ctx) => ({ ...envelopeOf(ctx, [opWith(ctx, {})]), extra: true }),
  (ctx) => ({ protocolVersion: PROTOCOL_VERSION, ops: [opWith(ctx, {})] }),
  (ctx) => envelopeOf(ctx, [opWith(ctx, { seq: -1 })]),
  (ctx) => envelopeOf(ctx, [opWith(ctx, { seq: 0 })]),
  (ctx) => envelopeOf(ctx, [opWith(ctx, { seq: 1.5 })]),
  (ctx) => envelopeOf(ctx, [opWith(ctx, { seq: "1" })]),
  (ctx) => envelopeOf(ctx, [opWith(ctx, { hlc: 123 })]),
  (ctx) => envelopeOf(ctx, [opWith(ctx, { hlc: "not-an-hlc" })]),
  (ctx) => envelopeOf(ctx, [opWith(ctx, { hlc: "" })]),
  (ctx) => envelopeOf(ctx, [opWith(ctx, { kind: "explode" })]),
  (ctx) => envelopeOf(ctx, [opWith(ctx, { kind: null })]),
  (ctx) => envelopeOf(ctx, [opWith(ctx, { entity: 7 })]),
  (ctx) => envelopeOf(ctx, [opWith(ctx, { entity: "x".repeat(65) })]),
  (ctx) => envelopeOf(ctx, [opWith(ctx, { id: "1; drop table items" })]),
  (ctx) => envelopeOf(ctx, [opWith(ctx, { id: 42 })]),
  (ctx) => envelopeOf(ctx, [opWith(ctx, { opId: "x" })]),
  (ctx) => envelopeOf(ctx, [opWith(ctx, { fields: [] })]),
  (ctx) => envelopeOf(ctx, [opWith(ctx, { fields: "text" })]),
  (ctx) => envelopeOf(ctx, [opWith(ctx, { fields: null })]),
  (ctx) =>
    envelopeOf(ctx, [
      opWith(ctx, { fields: { text: "x".repeat(LIMITS.maxStringLength + 1), listId: ctx.listId } }),
    ]),
  (ctx) =>
    envelopeOf(ctx, [
      opWith(ctx, {
        fields: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}`, i])),
      }),
    ]),
  (ctx) =>
    envelopeOf(ctx, [
      opWith(ctx, { fields: { text: { nested: { deeper: true } }, listId: ctx.listId } }),
    ]),
  (ctx) => envelopeOf(ctx, [opWith(ctx, { base: "x" })]),
  (ctx) => envelopeOf(ctx, [opWith(ctx, { unknownKey: 1 })]),
  // Another client's id inside the ops of this request.
  (ctx) => envelopeOf(ctx, [opWith(ctx, { clientId: uuidv7() })]),
  // Seqs out of order within one batch.
  (ctx) => envelopeOf(ctx, [opWith(ctx, { seq: 10 }), opWith(ctx, { seq: 9 })]),
  (ctx) => envelopeOf(ctx, [opWith(ctx, { seq: 10 }), opWith(ctx, { seq: 10 })]),
];

/** Prototype-pollution keys where the schema reads objects. */
const POLLUTION_BODIES: readonly ((ctx: HostileContext) => string)[] = [
  (ctx) =>
    `{"protocolVersion":1,"clientId":"${ctx.alice.clientId}","ops":[],"__proto__":{"polluted":1}}`,
  (ctx) =>
    `{"protocolVersion":1,"clientId":"${ctx.alice.clientId}","ops":[],"constructor":{"prototype":{"polluted":1}}}`,
  (ctx) =>
    JSON.stringify(envelopeOf(ctx, [opWith(ctx, {})])).replace(
      '"fields":{',
      '"fields":{"__proto__":{"polluted":1},',
    ),
  (ctx) =>
    JSON.stringify(envelopeOf(ctx, [opWith(ctx, {})])).replace(
      '"fields":{',
      '"fields":{"constructor":{"prototype":{"polluted":1}},',
    ),
  (ctx) =>
    JSON.stringify(envelopeOf(ctx, [opWith(ctx, {})])).replace(
      '"fields":{',
      '"fields":{"prototype":1,',
    ),
  (ctx) => JSON.stringify(envelopeOf(ctx, [opWith(ctx, { entity: "__proto__" })])),
  (ctx) =>
    JSON.stringify(envelopeOf(ctx, [opWith(ctx, {})])).replace(
      '"opId"',
      '"__proto__":{"polluted":1},"opId"',
    ),
];

/** Well-formed pushes whose every op must be refused: authorization and server-owned fields. */
const REJECTED_OPS: readonly [string, (ctx: HostileContext) => unknown, "alice" | "bob"][] = [
  [
    "bob creates an item in alice's list",
    (ctx) => envelopeOf(ctx, [ctx.bob.createItem(ctx.listId, "spam")], ctx.bob.clientId),
    "bob",
  ],
  [
    "bob updates alice's item",
    (ctx) =>
      envelopeOf(
        ctx,
        [ctx.bob.op({ entity: "item", id: ctx.itemId, kind: "update", fields: { text: "pwned" } })],
        ctx.bob.clientId,
      ),
    "bob",
  ],
  [
    "bob increments alice's item",
    (ctx) =>
      envelopeOf(
        ctx,
        [ctx.bob.op({ entity: "item", id: ctx.itemId, kind: "increment", fields: { qty: 100 } })],
        ctx.bob.clientId,
      ),
    "bob",
  ],
  [
    "bob deletes alice's item",
    (ctx) =>
      envelopeOf(
        ctx,
        [ctx.bob.op({ entity: "item", id: ctx.itemId, kind: "delete" })],
        ctx.bob.clientId,
      ),
    "bob",
  ],
  [
    "bob renames alice's list",
    (ctx) =>
      envelopeOf(
        ctx,
        [ctx.bob.op({ entity: "list", id: ctx.listId, kind: "update", fields: { title: "mine" } })],
        ctx.bob.clientId,
      ),
    "bob",
  ],
  [
    "bob deletes alice's list",
    (ctx) =>
      envelopeOf(
        ctx,
        [ctx.bob.op({ entity: "list", id: ctx.listId, kind: "delete" })],
        ctx.bob.clientId,
      ),
    "bob",
  ],
  [
    "bob re-creates alice's list id",
    (ctx) => envelopeOf(ctx, [ctx.bob.createList("hijack", ctx.listId)], ctx.bob.clientId),
    "bob",
  ],
  [
    "bob creates a membership for himself",
    (ctx) =>
      envelopeOf(
        ctx,
        [
          ctx.bob.op({
            entity: "membership",
            id: uuidv7(),
            kind: "create",
            fields: { listId: ctx.listId, userId: ctx.bob.session.userId },
          }),
        ],
        ctx.bob.clientId,
      ),
    "bob",
  ],
  [
    "alice moves her item into bob's list",
    (ctx) =>
      envelopeOf(ctx, [
        ctx.alice.op({
          entity: "item",
          id: ctx.itemId,
          kind: "update",
          fields: { listId: ctx.bobListId },
        }),
      ]),
    "alice",
  ],
  [
    "alice creates an item in bob's list",
    (ctx) => envelopeOf(ctx, [ctx.alice.createItem(ctx.bobListId, "x")]),
    "alice",
  ],
  [
    "alice sets inviteCode (server-owned)",
    (ctx) =>
      envelopeOf(ctx, [
        ctx.alice.op({
          entity: "list",
          id: ctx.listId,
          kind: "update",
          fields: { inviteCode: "AAAAAAAAAA" },
        }),
      ]),
    "alice",
  ],
  [
    "alice sets createdBy (server-owned)",
    (ctx) =>
      envelopeOf(ctx, [
        ctx.alice.op({
          entity: "item",
          id: ctx.itemId,
          kind: "update",
          fields: { createdBy: ctx.bob.session.userId },
        }),
      ]),
    "alice",
  ],
  [
    "alice sets createdAt (server-owned)",
    (ctx) =>
      envelopeOf(ctx, [
        ctx.alice.op({ entity: "item", id: ctx.itemId, kind: "update", fields: { createdAt: 0 } }),
      ]),
    "alice",
  ],
  [
    "alice creates a list with createdBy",
    (ctx) =>
      envelopeOf(ctx, [
        ctx.alice.op({
          entity: "list",
          id: uuidv7(),
          kind: "create",
          fields: { title: "t", createdBy: ctx.bob.session.userId },
        }),
      ]),
    "alice",
  ],
  [
    "alice creates a list with inviteCode",
    (ctx) =>
      envelopeOf(ctx, [
        ctx.alice.op({
          entity: "list",
          id: uuidv7(),
          kind: "create",
          fields: { title: "t", inviteCode: "BBBBBBBBBB" },
        }),
      ]),
    "alice",
  ],
  [
    "alice writes qty absolutely (counter)",
    (ctx) =>
      envelopeOf(ctx, [
        ctx.alice.op({ entity: "item", id: ctx.itemId, kind: "update", fields: { qty: 9000 } }),
      ]),
    "alice",
  ],
  [
    "alice increments text",
    (ctx) =>
      envelopeOf(ctx, [
        ctx.alice.op({ entity: "item", id: ctx.itemId, kind: "increment", fields: { text: 1 } }),
      ]),
    "alice",
  ],
  [
    "alice writes an unknown entity",
    (ctx) =>
      envelopeOf(ctx, [
        ctx.alice.op({
          entity: "users",
          id: uuidv7(),
          kind: "create",
          fields: { username: "root" },
        }),
      ]),
    "alice",
  ],
  [
    "alice writes an unknown field",
    (ctx) =>
      envelopeOf(ctx, [
        ctx.alice.op({ entity: "item", id: ctx.itemId, kind: "update", fields: { isAdmin: true } }),
      ]),
    "alice",
  ],
  [
    "alice sets text to an SQL string of the wrong type",
    (ctx) =>
      envelopeOf(ctx, [
        ctx.alice.op({
          entity: "item",
          id: ctx.itemId,
          kind: "update",
          fields: { checked: "'; drop table items; --" },
        }),
      ]),
    "alice",
  ],
  [
    "alice creates an item without text",
    (ctx) =>
      envelopeOf(ctx, [
        ctx.alice.op({
          entity: "item",
          id: uuidv7(),
          kind: "create",
          fields: { listId: ctx.listId },
        }),
      ]),
    "alice",
  ],
  [
    "alice creates an item with empty text",
    (ctx) => envelopeOf(ctx, [ctx.alice.createItem(ctx.listId, "")]),
    "alice",
  ],
  [
    "alice increments by more than the limit",
    (ctx) =>
      envelopeOf(ctx, [
        ctx.alice.op({
          entity: "item",
          id: ctx.itemId,
          kind: "increment",
          fields: { qty: LIMITS.maxCounterDelta + 1 },
        }),
      ]),
    "alice",
  ],
  [
    "alice deletes with fields",
    (ctx) =>
      envelopeOf(ctx, [
        ctx.alice.op({ entity: "item", id: ctx.itemId, kind: "delete", fields: { text: "x" } }),
      ]),
    "alice",
  ],
  [
    "alice updates an item that does not exist",
    (ctx) =>
      envelopeOf(ctx, [
        ctx.alice.op({ entity: "item", id: uuidv7(), kind: "update", fields: { text: "ghost" } }),
      ]),
    "alice",
  ],
  [
    "alice creates an item in a list that does not exist",
    (ctx) => envelopeOf(ctx, [ctx.alice.createItem(uuidv7(), "orphan")]),
    "alice",
  ],
];

function buildCorpus(): HostileCase[] {
  const cases: HostileCase[] = [];
  const add = (c: HostileCase): void => {
    cases.push(c);
  };

  for (const path of JSON_POSTS) {
    for (const [i, body] of BROKEN_JSON.entries()) {
      add({
        name: `${path}: broken JSON #${i} ${JSON.stringify(body.slice(0, 20))}`,
        kind: "http",
        send: post(path, body),
      });
    }
    for (const body of NOT_OBJECTS) {
      add({ name: `${path}: body ${body}`, kind: "http", send: post(path, body) });
    }
    for (const type of CONTENT_TYPES) {
      add({
        name: `${path}: content-type ${JSON.stringify(type)}`,
        kind: "http",
        status: 415,
        send: post(path, "{}", { "content-type": type }),
      });
    }
    add({
      name: `${path}: 10000-deep array`,
      kind: "http",
      send: post(path, deep(10_000, "[", "]")),
    });
    add({
      name: `${path}: 5000-deep object`,
      kind: "http",
      send: post(path, deep(5_000, '{"a":', "}")),
    });
    add({
      name: `${path}: body over 1 MiB`,
      kind: "http",
      status: 413,
      send: post(path, JSON.stringify({ pad: "x".repeat(LIMITS.maxBodyBytes + 10) })),
    });
    add({
      name: `${path}: 600 KB string value`,
      kind: "http",
      send: post(
        path,
        JSON.stringify({ username: "x".repeat(600_000), password: "y", code: "z".repeat(600_000) }),
      ),
    });
  }
  BAD_CREDENTIALS.forEach((body, i) => {
    for (const path of ["/api/auth/signup", "/api/auth/signin"]) {
      add({
        name: `${path}: bad credentials #${i}`,
        kind: "http",
        send: post(path, JSON.stringify(body)),
      });
    }
  });
  add({
    name: "signin: SQL in username",
    kind: "http",
    send: post(
      "/api/auth/signin",
      JSON.stringify({ username: "admin' or '1'='1", password: "correct-horse-1" }),
    ),
  });
  add({
    name: "signin: wrong password for alice",
    kind: "http",
    status: 401,
    send: (ctx) =>
      post(
        "/api/auth/signin",
        JSON.stringify({ username: ctx.alice.session.username, password: "wrong-password" }),
      )(ctx),
  });
  add({
    name: "signup: alice's username again",
    kind: "http",
    status: 409,
    send: (ctx) =>
      post(
        "/api/auth/signup",
        JSON.stringify({ username: ctx.alice.session.username, password: "correct-horse-1" }),
      )(ctx),
  });

  for (const [i, build] of BAD_PUSH_SHAPES.entries()) {
    add({ name: `push: malformed shape #${i}`, kind: "http", send: push(build) });
  }
  for (const [i, build] of POLLUTION_BODIES.entries()) {
    add({
      name: `push: prototype-pollution key #${i}`,
      kind: "http",
      send: (ctx) => request(ctx, "POST", "/api/sync/push", { body: build(ctx) }),
    });
  }
  for (const path of ["/api/auth/signup", "/api/auth/signin"]) {
    add({
      name: `${path}: __proto__ key beside valid credentials`,
      kind: "http",
      send: post(
        path,
        '{"username":"okname2","password":"correct-horse-1","__proto__":{"isAdmin":true}}',
      ),
    });
  }
  for (const key of ["__proto__", "constructor", "prototype"]) {
    add({
      name: `join: ${key} key`,
      kind: "http",
      send: post("/api/lists/join", `{"code":"AAAAAAAAAA","${key}":{"polluted":1}}`),
    });
    add({
      name: `signup: ${key} key`,
      kind: "http",
      send: post(
        "/api/auth/signup",
        `{"username":"pollute","password":"correct-horse-1","${key}":{"polluted":1}}`,
      ),
    });
  }
  add({
    name: "push: 501 operations",
    kind: "http",
    status: 413,
    send: push((ctx) =>
      envelopeOf(
        ctx,
        Array.from({ length: LIMITS.maxOpsPerPush + 1 }, (_, i) => opWith(ctx, { seq: 1000 + i })),
      ),
    ),
  });
  add({
    name: "push: 5000 operations",
    kind: "http",
    send: push((ctx) =>
      envelopeOf(
        ctx,
        Array.from({ length: 5_000 }, (_, i) => ({ seq: i + 1, x: ctx.listId })),
      ),
    ),
  });
  add({
    name: "push: forged clientId (bob's client) with alice's token",
    kind: "http",
    status: 403,
    send: (ctx) =>
      push(() => ({
        ...envelopeOf(ctx, [{ ...ctx.bob.createItem(ctx.listId, "x") }], ctx.bob.clientId),
      }))(ctx),
  });

  for (const [name, build, as] of REJECTED_OPS)
    add({ name: `push: ${name}`, kind: "op", send: push(build, as) });

  for (const header of BAD_TOKENS) {
    for (const [method, path] of AUTHED) {
      add({
        name: `${method} ${path}: authorization ${JSON.stringify(header.slice(0, 24))}`,
        kind: "http",
        status: 401,
        send: (ctx) =>
          request(ctx, method, path, {
            token: null,
            headers: header ? { authorization: header } : {},
            ...(method === "POST" ? { body: "{}" } : {}),
          }),
      });
    }
  }
  for (const [method, path] of AUTHED) {
    add({
      name: `${method} ${path}: replayed token after signout`,
      kind: "http",
      status: 401,
      send: (ctx) =>
        request(ctx, method, path, {
          token: ctx.revokedToken,
          ...(method === "POST" ? { body: "{}" } : {}),
        }),
    });
    add({
      name: `${method} ${path}: replayed token as cookie`,
      kind: "http",
      status: 401,
      send: (ctx) =>
        request(ctx, method, path, {
          token: null,
          headers: { cookie: `sid=${ctx.revokedToken}` },
          ...(method === "POST" ? { body: "{}" } : {}),
        }),
    });
  }
  for (const query of PULL_QUERIES) {
    add({
      name: `pull: ${query}`,
      kind: "http",
      status: 400,
      send: (ctx) => request(ctx, "GET", `/api/sync/pull?${query}`),
    });
  }
  for (const code of [
    "",
    "x",
    "' OR '1'='1",
    "A".repeat(11),
    "AAAAAAAAAA",
    "../../admin",
    "%00%00",
  ]) {
    add({
      name: `join: code ${JSON.stringify(code)}`,
      kind: "http",
      send: post("/api/lists/join", JSON.stringify({ code })),
    });
  }
  add({
    name: "join: code as number",
    kind: "http",
    send: post("/api/lists/join", JSON.stringify({ code: 1234567890 })),
  });
  for (const id of [
    "not-a-uuid",
    "1%3Bdrop%20table%20lists",
    "00000000-0000-0000-0000-000000000000",
    "%2e%2e%2f%2e%2e",
  ]) {
    add({
      name: `leave: list id ${id}`,
      kind: "http",
      send: (ctx) => request(ctx, "POST", `/api/lists/${id}/leave`),
    });
  }
  add({
    name: "leave: bob leaves alice's list he never joined",
    kind: "http",
    status: 403,
    send: (ctx) =>
      request(ctx, "POST", `/api/lists/${ctx.listId}/leave`, { token: ctx.bob.session.token }),
  });
  add({
    name: "leave: a random list id",
    kind: "http",
    status: 403,
    send: (ctx) => request(ctx, "POST", `/api/lists/${uuidv7()}/leave`),
  });
  for (const [method, path] of [
    ["GET", "/api/sync/push"],
    ["PUT", "/api/sync/push"],
    ["DELETE", "/api/sync/pull"],
    ["POST", "/api/sync/pull"],
    ["GET", "/api/auth/signup"],
    ["PATCH", "/api/auth/me"],
    ["GET", "/api/lists/join"],
    ["DELETE", "/api/health"],
  ] as const) {
    add({
      name: `${method} ${path}: wrong method`,
      kind: "http",
      status: 405,
      send: (ctx) => request(ctx, method, path),
    });
  }
  for (const path of [
    "/api/nope",
    "/api/../../etc/passwd",
    "/api/sync",
    "/api/sync/push/extra",
    "/api/%00",
    "/api/admin",
  ]) {
    add({
      name: `GET ${path}: unknown route`,
      kind: "http",
      status: 404,
      send: (ctx) => request(ctx, "GET", path),
    });
  }

  // What fetch will not send: raw bytes on a socket.
  const rawPush = (ctx: HostileContext, headers: string[], body: (string | Buffer)[]) =>
    rawRequest(ctx.url, [
      [
        `POST /api/sync/push HTTP/1.1`,
        `Host: 127.0.0.1`,
        `Authorization: Bearer ${ctx.alice.session.token}`,
        "Content-Type: application/json",
        ...headers,
      ].join("\r\n") + "\r\n\r\n",
      ...body,
    ]);
  const big = (ctx: HostileContext) =>
    JSON.stringify(
      envelopeOf(ctx, [opWith(ctx, { fields: { listId: ctx.listId, text: "x".repeat(1000) } })]),
    ) + " ".repeat(LIMITS.maxBodyBytes);
  add({
    name: "raw: chunked body over 1 MiB",
    kind: "raw",
    status: 413,
    send: (ctx) => {
      const body = big(ctx);
      const chunks: string[] = [];
      for (let i = 0; i < body.length; i += 65_536) {
        const part = body.slice(i, i + 65_536);
        chunks.push(`${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`);
      }
      chunks.push("0\r\n\r\n");
      return rawPush(ctx, ["Transfer-Encoding: chunked"], chunks);
    },
  });
  add({
    name: "raw: Content-Length and Transfer-Encoding together",
    kind: "raw",
    send: (ctx) =>
      rawPush(
        ctx,
        ["Content-Length: 5", "Transfer-Encoding: chunked"],
        ["5\r\nhello\r\n0\r\n\r\n"],
      ),
  });
  add({
    name: "raw: two different Content-Lengths",
    kind: "raw",
    send: (ctx) => rawPush(ctx, ["Content-Length: 2", "Content-Length: 40"], ['{"a":1}']),
  });
  add({
    name: "raw: negative Content-Length",
    kind: "raw",
    send: (ctx) => rawPush(ctx, ["Content-Length: -1"], ["{}"]),
  });
  add({
    name: "raw: non-numeric Content-Length",
    kind: "raw",
    send: (ctx) => rawPush(ctx, ["Content-Length: abc"], ["{}"]),
  });
  add({
    name: "raw: bad chunk size",
    kind: "raw",
    send: (ctx) => rawPush(ctx, ["Transfer-Encoding: chunked"], ["zz\r\nhello\r\n0\r\n\r\n"]),
  });
  add({
    name: "raw: Transfer-Encoding: gzip, chunked",
    kind: "raw",
    send: (ctx) => rawPush(ctx, ["Transfer-Encoding: gzip, chunked"], ["2\r\n{}\r\n0\r\n\r\n"]),
  });
  add({
    name: "raw: Content-Length over 1 MiB declared",
    kind: "raw",
    status: 413,
    send: (ctx) => rawPush(ctx, [`Content-Length: ${LIMITS.maxBodyBytes + 1}`], ["{}"]),
  });
  add({
    name: "raw: header block over 64 KB",
    kind: "raw",
    status: 431,
    send: (ctx) => rawPush(ctx, [`X-Pad: ${"p".repeat(70_000)}`, "Content-Length: 2"], ["{}"]),
  });
  add({
    name: "raw: obsolete line folding in a header",
    kind: "raw",
    send: (ctx) => rawPush(ctx, ["X-Folded: a", " b", "Content-Length: 2"], ["{}"]),
  });
  add({
    name: "raw: NUL in a header value",
    kind: "raw",
    send: (ctx) => rawPush(ctx, ["X-Nul: a\u0000b", "Content-Length: 2"], ["{}"]),
  });
  add({
    name: "raw: chunked body with broken JSON",
    kind: "raw",
    status: 400,
    send: (ctx) => rawPush(ctx, ["Transfer-Encoding: chunked"], ['3\r\n{"a\r\n0\r\n\r\n']),
  });

  return cases;
}

export const HOSTILE_CORPUS: readonly HostileCase[] = buildCorpus();
