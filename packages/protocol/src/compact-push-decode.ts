import { decode } from "@msgpack/msgpack";
import {
  COUNTER_DIGITS,
  CompactPushError,
  HLC_LENGTH,
  KEYS,
  KNOWN_KEYS,
  MAX_COUNTER,
  MAX_WALL,
  NODE_PATTERN,
  readUuids,
  slices,
  WALL_DIGITS,
} from "./compact-push-layout.js";
import { LIMITS } from "./limits.js";
import { OP_KINDS } from "./operation.js";

const malformed = (message: string, cause?: unknown) =>
  new CompactPushError("malformed", `malformed compact push: ${message}`, { cause });

type Body = Record<string, unknown>;

function column(body: Body, key: string, n?: number): unknown[] {
  const value = body[key];
  if (!Array.isArray(value)) throw malformed(`"${key}" must be an array`);
  if (n !== undefined && value.length !== n) {
    throw malformed(`"${key}" has ${value.length} entries, expected one per operation (${n})`);
  }
  return value;
}

function ints(body: Body, key: string, n?: number): number[] {
  const values = column(body, key, n);
  for (const v of values) {
    if (typeof v !== "number" || !Number.isSafeInteger(v)) {
      throw malformed(`"${key}" must hold integers`);
    }
  }
  return values as number[];
}

function strings(body: Body, key: string): string[] {
  const values = column(body, key);
  if (!values.every((v) => typeof v === "string")) throw malformed(`"${key}" must hold strings`);
  return values as string[];
}

/** An index per operation into a table; absent means every operation uses entry 0. */
function indices(body: Body, key: string, n: number, table: string, size: number): number[] {
  if (body[key] === undefined) {
    if (n > 0 && size === 0) throw malformed(`"${table}" is empty`);
    return new Array<number>(n).fill(0);
  }
  const values = ints(body, key, n);
  for (const v of values)
    if (v < 0 || v >= size) throw malformed(`"${key}" index ${v} is out of range`);
  return values;
}

/** 16 raw bytes per operation, or (for ids that are not lowercase canonical) their text. */
function uuids(body: Body, key: string, n: number): unknown[] {
  const value = body[key];
  if (Array.isArray(value)) return column(body, key, n);
  if (!(value instanceof Uint8Array)) throw malformed(`"${key}" must be bytes or an array`);
  if (value.byteLength !== n * 16) {
    throw malformed(`"${key}" is ${value.byteLength} bytes, expected 16 per operation (${n * 16})`);
  }
  return readUuids(value, n);
}

/** Sets an own property even for `__proto__`, as JSON.parse does, so validation sees the key. */
function define(target: Body, key: string, value: unknown, what: string): void {
  if (Object.hasOwn(target, key)) throw malformed(`${what} repeats "${key}"`);
  if (key === "__proto__") {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

/** Running sums of differences (the first entry is whole), each a safe integer in [min, max]. */
function running(deltas: number[], key: string, min: number, max: number): number[] {
  let total = 0;
  return deltas.map((d) => {
    total += d;
    if (!Number.isSafeInteger(total) || total < min || total > max) {
      throw malformed(`"${key}" adds up to ${total}, outside ${min}..${max}`);
    }
    return total;
  });
}

/**
 * Decodes a compact push body into the object the JSON path would have parsed. The result is
 * not validated: run pushRequestSchema on it exactly as on parsed JSON. Throws a
 * CompactPushError: `too-many-operations` (counted from the columns, before any operation is
 * built) or `malformed` (broken MessagePack, trailing bytes, wrong column lengths or blob
 * sizes, indices out of range, unknown keys).
 */
export function decodeCompactPush(bytes: Uint8Array, options: { maxOps?: number } = {}): unknown {
  const maxOps = options.maxOps ?? LIMITS.maxOpsPerPush;
  let root: unknown;
  try {
    const max = bytes.byteLength;
    root = decode(bytes, {
      maxStrLength: max,
      maxBinLength: max,
      maxArrayLength: max,
      maxMapLength: max,
    });
  } catch (cause) {
    throw malformed(
      `not one MessagePack value (${cause instanceof Error ? cause.message : cause})`,
      cause,
    );
  }
  if (
    typeof root !== "object" ||
    root === null ||
    Array.isArray(root) ||
    root instanceof Uint8Array
  ) {
    throw malformed("expected a map at the top level");
  }
  const body = root as Body;
  // Counted from the kinds column before anything else is read, as JSON counts `ops` first.
  const n = column(body, KEYS.kinds).length;
  if (n > maxOps) {
    throw new CompactPushError("too-many-operations", `at most ${maxOps} operations per push`, {
      details: { max: maxOps, got: n },
    });
  }
  for (const key of Object.keys(body))
    if (!KNOWN_KEYS.has(key)) throw malformed(`unknown key "${key}"`);
  const kinds = ints(body, KEYS.kinds, n);
  if (!(KEYS.version in body)) throw malformed(`"${KEYS.version}" is missing`);
  const clientId = body[KEYS.clientId];
  if (
    typeof clientId !== "string" &&
    !(clientId instanceof Uint8Array && clientId.byteLength === 16)
  ) {
    throw malformed(`"${KEYS.clientId}" must be 16 bytes or a string`);
  }
  const client = typeof clientId === "string" ? clientId : (readUuids(clientId, 1)[0] as string);
  const seqs = running(
    ints(body, KEYS.seqs, n),
    KEYS.seqs,
    Number.MIN_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER,
  );
  const opIds = uuids(body, KEYS.opIds, n);
  const ids = uuids(body, KEYS.ids, n);
  const entities = strings(body, KEYS.entities);
  const entityIndex = indices(body, KEYS.entityIndex, n, KEYS.entities, entities.length);
  const walls = running(ints(body, KEYS.walls, n), KEYS.walls, 0, MAX_WALL);
  const counters = running(ints(body, KEYS.counters, n), KEYS.counters, 0, MAX_COUNTER);
  const nodes = strings(body, KEYS.nodes);
  const nodeIndex = indices(body, KEYS.nodeIndex, n, KEYS.nodes, nodes.length);
  const names = strings(body, KEYS.names);
  const shapes = column(body, KEYS.shapes).map((shape) => {
    if (
      !Array.isArray(shape) ||
      !shape.every((v) => Number.isSafeInteger(v) && v >= 0 && v < names.length)
    ) {
      throw malformed(`"${KEYS.shapes}" must hold arrays of indices into "${KEYS.names}"`);
    }
    return shape as number[];
  });
  const shapeIndex = indices(body, KEYS.shapeIndex, n, KEYS.shapes, shapes.length);
  const values = column(body, KEYS.values);
  const expected = shapeIndex.reduce((sum, s) => sum + (shapes[s]?.length ?? 0), 0);
  if (values.length !== expected) {
    throw malformed(`"${KEYS.values}" has ${values.length} values, the shapes need ${expected}`);
  }
  const bases = decodeBases(body, n, names);

  const hlcs = hlcTexts(walls, counters, nodeIndex, nodes);
  let next = 0;
  const ops = new Array<Body>(n);
  for (let i = 0; i < n; i++) {
    const kind = kinds[i] ?? -1;
    if (kind < 0 || kind >= OP_KINDS.length) throw malformed(`kind ${kind} is out of range`);
    const fields: Body = {};
    for (const name of shapes[shapeIndex[i] ?? 0] ?? []) {
      define(fields, names[name] ?? "", values[next++], "a shape");
    }
    const op: Body = {
      opId: opIds[i],
      clientId: client,
      seq: seqs[i],
      entity: entities[entityIndex[i] ?? 0],
      id: ids[i],
      kind: OP_KINDS[kind],
      fields,
      hlc: hlcs[i],
    };
    const base = bases.get(i);
    if (base) op.base = base;
    ops[i] = op;
  }
  return { protocolVersion: body[KEYS.version], clientId: client, ops };
}

const BASE36 = new TextEncoder().encode("0123456789abcdefghijklmnopqrstuvwxyz");
const UTF8 = new TextDecoder();

/** HLC texts (wall and counter in fixed-width base36, then the node), as flat strings. */
function hlcTexts(walls: number[], counters: number[], nodeIndex: number[], nodes: string[]) {
  if (!nodes.every((node) => NODE_PATTERN.test(node))) {
    // Not an HLC: the schema will say so; the text only has to be exactly what was sent.
    return walls.map(
      (wall, i) =>
        wall.toString(36).padStart(WALL_DIGITS, "0") +
        (counters[i] ?? 0).toString(36).padStart(COUNTER_DIGITS, "0") +
        nodes[nodeIndex[i] ?? 0],
    );
  }
  const n = walls.length;
  const text = new Uint8Array(n * HLC_LENGTH);
  for (let i = 0; i < n; i++) {
    const at = i * HLC_LENGTH;
    let wall = walls[i] ?? 0;
    for (let d = WALL_DIGITS - 1; d >= 0; d--) {
      text[at + d] = BASE36[wall % 36] ?? 0;
      wall = Math.floor(wall / 36);
    }
    let counter = counters[i] ?? 0;
    for (let d = WALL_DIGITS + COUNTER_DIGITS - 1; d >= WALL_DIGITS; d--) {
      text[at + d] = BASE36[counter % 36] ?? 0;
      counter = Math.floor(counter / 36);
    }
    const node = nodes[nodeIndex[i] ?? 0] ?? "";
    for (let c = 0; c < node.length; c++) {
      text[at + WALL_DIGITS + COUNTER_DIGITS + c] = node.charCodeAt(c);
    }
  }
  return slices(UTF8.decode(text), n, HLC_LENGTH);
}

/** `[[opIndex, [nameIndex, clock, ...]], ...]` in increasing opIndex: only ops that carry a base. */
function decodeBases(body: Body, n: number, names: string[]): Map<number, Body> {
  const bases = new Map<number, Body>();
  if (body[KEYS.bases] === undefined) return bases;
  let last = -1;
  for (const entry of column(body, KEYS.bases)) {
    const [at, flat] = Array.isArray(entry) && entry.length === 2 ? entry : [];
    if (
      !Number.isSafeInteger(at) ||
      at <= last ||
      at >= n ||
      !Array.isArray(flat) ||
      flat.length % 2
    ) {
      throw malformed(
        `"${KEYS.bases}" entries must be [opIndex, [nameIndex, clock, ...]] in op order`,
      );
    }
    last = at;
    const base: Body = {};
    for (let j = 0; j < flat.length; j += 2) {
      const name = flat[j];
      if (!Number.isSafeInteger(name) || name < 0 || name >= names.length) {
        throw malformed(`"${KEYS.bases}" name index ${String(name)} is out of range`);
      }
      define(base, names[name] ?? "", flat[j + 1], "a base");
    }
    bases.set(at, base);
  }
  return bases;
}
