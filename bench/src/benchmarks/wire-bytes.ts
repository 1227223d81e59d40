import { isDeepStrictEqual } from "node:util";
import { gzipSync } from "node:zlib";
import { encode } from "@msgpack/msgpack";
import { applyOperation, item } from "@sync/entities";
import {
  decodeCompactPush,
  encodeCompactPush,
  LIMITS,
  type Operation,
  operationSchema,
  PROTOCOL_VERSION,
  type PushRequest,
  pushRequestSchema,
} from "@sync/protocol";
import { v7 as uuidv7 } from "uuid";
import { chunk, createOpFactory } from "../op-factory.js";
import { createRandom, randomInt } from "../prng.js";
import { percentile, round } from "../stats.js";
import type { Benchmark, BenchOutcome, Metric, Size } from "../types.js";

const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));
/** MessagePack bytes of a value as the compact encoding writes it. */
const packed = (value: unknown): number => encode(value).byteLength;

/**
 * Server-side cost per operation of turning a push body into a validated PushRequest, both
 * encodings interleaved in each round (same ops, same conditions): JSON is UTF-8 decode +
 * JSON.parse + pushRequestSchema, compact is decodeCompactPush + pushRequestSchema.
 */
function decodeCost(request: PushRequest, rounds: number, perRound: number) {
  const jsonBody = new TextEncoder().encode(JSON.stringify(request));
  const compactBody = encodeCompactPush(request);
  // Decode-only runs are ~10x cheaper than validated ones: more of them per round, same weight.
  const decoders = {
    json: [1, () => pushRequestSchema.parse(JSON.parse(new TextDecoder().decode(jsonBody)))],
    compact: [1, () => pushRequestSchema.parse(decodeCompactPush(compactBody))],
    jsonParseOnly: [10, () => JSON.parse(new TextDecoder().decode(jsonBody))],
    compactDecodeOnly: [10, () => decodeCompactPush(compactBody)],
  } as const;
  type Name = keyof typeof decoders;
  const perOpUs: Record<Name, number[]> = {
    json: [],
    compact: [],
    jsonParseOnly: [],
    compactDecodeOnly: [],
  };
  const n = request.ops.length;
  const warmup = Math.max(2, Math.round(rounds / 5));
  for (let r = -warmup; r < rounds; r++) {
    for (const [name, [weight, decode]] of Object.entries(decoders)) {
      const times = perRound * weight;
      const start = performance.now();
      for (let i = 0; i < times; i++) decode();
      const us = ((performance.now() - start) * 1000) / (times * n);
      if (r >= 0) perOpUs[name as Name].push(us); // warm-up rounds (the JIT) are not counted
    }
  }
  const same = isDeepStrictEqual(decoders.json[1](), decoders.compact[1]());
  const spread = (values: number[]) => ({
    p50: percentile(values, 50),
    p10: percentile(values, 10),
    p90: percentile(values, 90),
  });
  return {
    same,
    json: spread(perOpUs.json),
    compact: spread(perOpUs.compact),
    jsonParseOnly: spread(perOpUs.jsonParseOnly),
    compactDecodeOnly: spread(perOpUs.compactDecodeOnly),
  };
}

/** The same edits, as if made by hand over time: 1 to 60 s apart, so each HLC's wall moves. */
function spreadOverTime(ops: readonly Operation[], seed: number): Operation[] {
  const random = createRandom(seed);
  const node = ops[0]?.hlc.slice(13) ?? "";
  let wall = Date.now();
  return ops.map((op) => {
    wall += 1_000 + randomInt(random, 59_000);
    return { ...op, hlc: `${wall.toString(36).padStart(9, "0")}0000${node}` };
  });
}

/** Issue 6, benchmark 8: a one-field edit as our Operation vs sending the whole record. */
export const wireBytes: Benchmark = {
  name: "wire-bytes",
  async run(size: Size): Promise<BenchOutcome> {
    const batch = size === "quick" ? 50 : LIMITS.maxOpsPerPush;
    const factory = createOpFactory();
    const createdBy = uuidv7();
    const rows = factory
      .listWithItems(batch)
      .ops.slice(1)
      .map((create, i) => {
        const applied = applyOperation(item, undefined, create, {
          serverValues: { createdBy, createdAt: Date.now() },
        });
        if (!applied.ok) throw new Error(`create rejected: ${applied.message}`);
        return { ...applied.state, version: 12_345 + i };
      });
    const row = rows[0];
    if (!row) throw new Error("no item row");
    const whole = (r: typeof row) => ({ entity: r.entity, id: r.id, ...r.fields, checked: true });

    const edit = factory.op("item", row.id, "update", { checked: true });
    const editBytes = bytes(edit);
    const payloadBytes = Buffer.byteLength('"checked":true');
    const editMetadata = editBytes - payloadBytes;
    const wholeBytes = bytes(whole(row));
    const wholeRowBytes = bytes({ ...row, fields: { ...row.fields, checked: true } });

    // In a push, the request envelope is shared by the batch: one edit on each of `batch` items.
    const edits = rows.map((r) => factory.op("item", r.id, "update", { checked: true }));
    const request: PushRequest = {
      protocolVersion: PROTOCOL_VERSION,
      clientId: factory.clientId,
      ops: edits,
    };
    const pushPerOp = bytes(request) / batch;
    const pushGzipPerOp = gzipSync(JSON.stringify(request)).byteLength / batch;
    const wholeBatch = rows.map(whole);
    const wholeGzipPerOp = gzipSync(JSON.stringify(wholeBatch)).byteLength / batch;

    const jsonPushMetadata = pushPerOp - payloadBytes;

    // Compact: the value is one MessagePack `true` per op; the name sits once in the name table.
    const valueBytes = packed(true);
    const nameBytes = packed("checked");
    const compactBody = encodeCompactPush(request);
    const compactPerOp = compactBody.byteLength / batch;
    const compactPayloadPerOp = valueBytes + nameBytes / batch;
    const compactMetadata = compactPerOp - compactPayloadPerOp;
    const compactGzipPerOp = gzipSync(compactBody).byteLength / batch;
    const singleBytes = encodeCompactPush({ ...request, ops: [edit] }).byteLength;
    const singleMetadata = singleBytes - valueBytes - nameBytes;
    const spread = encodeCompactPush({ ...request, ops: spreadOverTime(edits, 6) });
    const spreadMetadata = spread.byteLength / batch - compactPayloadPerOp;
    const cost = decodeCost(request, size === "quick" ? 3 : 30, size === "quick" ? 2 : 10);
    const us = (label: string, value: number): Metric => ({
      label,
      value: round(value),
      unit: "µs",
    });

    const clockValues = Object.values(row.clocks);
    const clockFields = clockValues.length;
    const clockJsonPerField = bytes(row.clocks) / clockFields;
    const hlcPerField = clockValues.reduce((n, c) => n + c.length, 0) / clockFields;
    const ratio = wholeBytes / editBytes;

    return {
      title: "Bytes on the wire: one-field edit (our Operation) vs the whole record",
      status: "ok",
      params: {
        entity: "item",
        editedField: "checked",
        pushBatch: batch,
        clockedFields: clockFields,
      },
      ours: [
        { label: "compact push: bytes per op", value: round(compactPerOp), unit: "B" },
        { label: "compact push: metadata per op", value: round(compactMetadata), unit: "B" },
        {
          label: "compact push: metadata per op, edits 1-60 s apart",
          value: round(spreadMetadata),
          unit: "B",
        },
        { label: "compact push: bytes per op, gzip", value: round(compactGzipPerOp), unit: "B" },
        { label: "compact push of one op: bytes", value: singleBytes, unit: "B" },
        { label: "compact push of one op: metadata", value: singleMetadata, unit: "B" },
        { label: "one-field update operation (JSON)", value: editBytes, unit: "B" },
        { label: "of which metadata (ids, seq, kind, HLC)", value: editMetadata, unit: "B" },
        { label: "JSON push: bytes per op", value: round(pushPerOp), unit: "B" },
        { label: "JSON push: metadata per op", value: round(jsonPushMetadata), unit: "B" },
        { label: "JSON push: bytes per op, gzip", value: round(pushGzipPerOp), unit: "B" },
        us("decode + validate per op, compact (p50)", cost.compact.p50),
        us("decode + validate per op, JSON (p50)", cost.json.p50),
        us("decode only per op, compact (p50)", cost.compactDecodeOnly.p50),
        us("JSON.parse only per op (p50)", cost.jsonParseOnly.p50),
        { label: "clock at rest per clocked field (HLC)", value: hlcPerField, unit: "B" },
        {
          label: "clock map at rest per clocked field (jsonb text)",
          value: round(clockJsonPerField),
          unit: "B",
        },
      ],
      baseline: [
        { label: "whole record (JSON)", value: wholeBytes, unit: "B" },
        { label: "whole row with clocks and version (JSON)", value: wholeRowBytes, unit: "B" },
        { label: "whole record per op in a batch, gzip", value: round(wholeGzipPerOp), unit: "B" },
      ],
      ratio: { value: round(ratio), definition: "whole-record bytes / operation bytes" },
      goals: [
        {
          description: "at most 40 bytes of metadata per operation on the wire before compression",
          target: "<= 40 B",
          actual: `${round(compactMetadata)} B per op in a ${batch}-op compact push (JSON push: ${round(jsonPushMetadata)} B; a compact push of one op: ${singleMetadata} B)`,
          met: compactMetadata <= 40,
        },
        {
          description: "at most 24 bytes of metadata per field at rest (no UUID string per field)",
          target: "<= 24 B",
          actual: `${hlcPerField} B HLC; ${round(clockJsonPerField)} B as stored in the jsonb clock map`,
          met: clockJsonPerField <= 24,
        },
      ],
      checks: [
        { name: "the edit is a valid Operation", passed: operationSchema.safeParse(edit).success },
        {
          name: "the request fits one push",
          passed: chunk(edits, LIMITS.maxOpsPerPush).length === 1,
        },
        {
          name: "the compact push decodes to exactly the request JSON carries",
          passed: isDeepStrictEqual(
            decodeCompactPush(compactBody),
            JSON.parse(JSON.stringify(request)),
          ),
        },
        { name: "both encodings validate to the same request", passed: cost.same },
      ],
      notes: [
        `Compact metadata per op = compact push bytes / ${batch} ops, minus the field's payload in that encoding: its MessagePack value (\`true\`, ${valueBytes} B) per op and its name (\`"checked"\`, ${nameBytes} B, sent once in the name table) / ${batch}. Everything else counts as metadata: the 16-byte opId and record id, kind, seq and HLC deltas, and the shared part of the push (clientId, protocol version, tables, keys, headers) divided by ${batch}.`,
        "JSON metadata = bytes minus the changed field's own `\"checked\":true` (14 B), for one operation alone and per op inside the push. Three UUID strings (opId, clientId, record id) are 108 of one operation's bytes; the HLC is 24.",
        `The edits are stamped back to back (HLC deltas of 0-1 ms, counter +1): one byte each. Edits made by hand over time (the "1-60 s apart" figure) have wall deltas of 2-3 bytes. The single-op push pays the whole shared part (clientId, tables, a 9-byte wall) for one op.`,
        `Decode + validate = what the server does with a body before applying it: JSON is UTF-8 decode, JSON.parse and pushRequestSchema; compact is decodeCompactPush and the same pushRequestSchema. Same ${batch}-op push, both encodings interleaved in each of the rounds; p10-p90 per op: compact ${round(cost.compact.p10)}-${round(cost.compact.p90)} µs, JSON ${round(cost.json.p10)}-${round(cost.json.p90)} µs; decode alone: compact ${round(cost.compactDecodeOnly.p10)}-${round(cost.compactDecodeOnly.p90)} µs, JSON.parse ${round(cost.jsonParseOnly.p10)}-${round(cost.jsonParseOnly.p90)} µs.`,
        "The ratio (whole record / operation) is still measured on the JSON operation, the encoding of the whole record baseline.",
      ],
    };
  },
};
