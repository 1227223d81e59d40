import { encode } from "@msgpack/msgpack";
import {
  COUNTER_DIGITS,
  CompactPushError,
  isCanonicalUuid,
  isWellFormed,
  KEYS,
  WALL_DIGITS,
  writeUuid,
} from "./compact-push-layout.js";
import { OP_KINDS } from "./operation.js";
import { HLC_PATTERN } from "./primitives.js";
import type { PushRequest } from "./push.js";

const REQUEST_KEYS: ReadonlySet<string> = new Set(["protocolVersion", "clientId", "ops"]);
const OP_KEYS: ReadonlySet<string> = new Set(
  "opId clientId seq entity id kind fields base hlc".split(" "),
);

const unrepresentable = (what: string) =>
  new CompactPushError("unrepresentable", `cannot encode compactly: ${what}; send JSON`);

/** Strings in first-seen order, each with its index. */
class Table<K> {
  readonly list: K[] = [];
  readonly #index = new Map<string, number>();
  of(key: string, entry: K): number {
    let i = this.#index.get(key);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(entry);
      this.#index.set(key, i);
    }
    return i;
  }
}

type Json = Record<string, unknown>;

const isPlainObject = (value: unknown): value is Json => {
  if (typeof value !== "object" || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/** The keys JSON.stringify would write: it skips undefined values, and so do we. */
function presentKeys(value: Json, allowed: ReadonlySet<string> | null, what: string): string[] {
  const keys: string[] = [];
  for (const k of Object.keys(value)) {
    if (value[k] === undefined) continue;
    if (allowed ? !allowed.has(k) : !isWellFormed(k)) throw unrepresentable(`${what} key ${k}`);
    keys.push(k);
  }
  return keys;
}

const string = (value: unknown, what: string): string => {
  if (typeof value !== "string" || !isWellFormed(value)) throw unrepresentable(what);
  return value;
};

/** Exactly the value types of fieldValueSchema; anything else goes as JSON, as it did before. */
function fieldValue(value: unknown): unknown {
  if (typeof value === "string") return string(value, "an ill-formed string");
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw unrepresentable("a non-finite number");
    return value;
  }
  if (typeof value === "boolean" || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) string(value[i], "a set entry that is not a string");
    return value;
  }
  throw unrepresentable(`a field value of type ${typeof value}`);
}

const uuidColumn = (values: readonly string[]): Uint8Array | string[] => {
  if (!values.every(isCanonicalUuid)) return [...values];
  const blob = new Uint8Array(values.length * 16);
  for (const [i, v] of values.entries()) writeUuid(v, blob, i * 16);
  return blob;
};

/**
 * Encodes a push request as its compact MessagePack form. Decoding gives back exactly what
 * `JSON.parse(JSON.stringify(request))` gives; a request where that cannot hold (an
 * ill-formed string, an operation of another client, a value JSON would change) throws a
 * CompactPushError with reason `unrepresentable`, and the caller sends JSON instead.
 */
export function encodeCompactPush(request: PushRequest): Uint8Array<ArrayBuffer> {
  const req = request as unknown;
  if (!isPlainObject(req)) throw unrepresentable("a request that is not an object");
  presentKeys(req, REQUEST_KEYS, "request");
  const { protocolVersion, clientId, ops } = req;
  if (typeof protocolVersion !== "number" || !Number.isFinite(protocolVersion)) {
    throw unrepresentable("a protocolVersion that is not a number");
  }
  string(clientId, "a clientId that is not a string");
  if (!Array.isArray(ops)) throw unrepresentable("ops that are not an array");

  const n = ops.length;
  const [opIds, ids, kinds, seqs, walls, counters] = [[], [], [], [], [], []] as [
    string[],
    string[],
    number[],
    number[],
    number[],
    number[],
  ];
  const entities = new Table<string>();
  const nodes = new Table<string>();
  const names = new Table<string>();
  const shapes = new Table<number[]>();
  const [entityIndex, nodeIndex, shapeIndex] = [[], [], []] as [number[], number[], number[]];
  const values: unknown[] = [];
  const bases: [number, unknown[]][] = [];
  let previous = { seq: 0, wall: 0, counter: 0 };

  for (let i = 0; i < n; i++) {
    const op: unknown = ops[i];
    if (!isPlainObject(op)) throw unrepresentable(`operation ${i} is not an object`);
    presentKeys(op, OP_KEYS, "operation");
    if (op.clientId !== clientId) throw unrepresentable("an operation of another client");
    opIds.push(string(op.opId, "an opId that is not a string"));
    ids.push(string(op.id, "an id that is not a string"));
    const seq = op.seq;
    if (typeof seq !== "number" || !Number.isSafeInteger(seq)) throw unrepresentable("a seq");
    const kind = OP_KINDS.indexOf(op.kind as (typeof OP_KINDS)[number]);
    if (kind < 0) throw unrepresentable("an unknown kind");
    kinds.push(kind);
    const entity = string(op.entity, "an entity that is not a string");
    entityIndex.push(entities.of(entity, entity));
    const hlc = op.hlc;
    if (typeof hlc !== "string" || !HLC_PATTERN.test(hlc)) throw unrepresentable("an HLC");
    const wall = Number.parseInt(hlc.slice(0, WALL_DIGITS), 36);
    const counter = Number.parseInt(hlc.slice(WALL_DIGITS, WALL_DIGITS + COUNTER_DIGITS), 36);
    const node = hlc.slice(WALL_DIGITS + COUNTER_DIGITS);
    nodeIndex.push(nodes.of(node, node));
    // First value whole, then differences: small (one byte) for a batch written in one go.
    seqs.push(seq - previous.seq);
    walls.push(wall - previous.wall);
    counters.push(counter - previous.counter);
    previous = { seq, wall, counter };

    if (!isPlainObject(op.fields)) throw unrepresentable("fields that are not an object");
    // Loops, not callbacks: this runs per operation (and tsx wraps every closure it creates).
    const shape: number[] = [];
    for (const name of presentKeys(op.fields, null, "field")) {
      values.push(fieldValue(op.fields[name]));
      shape.push(names.of(name, name));
    }
    shapeIndex.push(shapes.of(shape.join(","), shape));

    if (op.base !== undefined) {
      if (!isPlainObject(op.base)) throw unrepresentable("a base that is not an object");
      const flat: unknown[] = [];
      for (const key of presentKeys(op.base, null, "base")) {
        flat.push(names.of(key, key), string(op.base[key], "a base clock that is not a string"));
      }
      bases.push([i, flat]);
    }
  }

  const body: Record<string, unknown> = {
    [KEYS.version]: protocolVersion,
    [KEYS.clientId]: isCanonicalUuid(clientId) ? uuidColumn([clientId]) : clientId,
    [KEYS.kinds]: kinds,
    [KEYS.seqs]: seqs,
    [KEYS.opIds]: uuidColumn(opIds),
    [KEYS.ids]: uuidColumn(ids),
    [KEYS.entities]: entities.list,
    [KEYS.walls]: walls,
    [KEYS.counters]: counters,
    [KEYS.nodes]: nodes.list,
    [KEYS.names]: names.list,
    [KEYS.shapes]: shapes.list,
    [KEYS.values]: values,
  };
  // One entry (the usual case: one entity, one clock, one shape) needs no index per op.
  if (entities.list.length > 1) body[KEYS.entityIndex] = entityIndex;
  if (nodes.list.length > 1) body[KEYS.nodeIndex] = nodeIndex;
  if (shapes.list.length > 1) body[KEYS.shapeIndex] = shapeIndex;
  if (bases.length > 0) body[KEYS.bases] = bases;
  return encode(body);
}
