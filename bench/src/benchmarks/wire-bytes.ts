import { gzipSync } from "node:zlib";
import { applyOperation, item } from "@sync/entities";
import { LIMITS, operationSchema, PROTOCOL_VERSION, type PushRequest } from "@sync/protocol";
import { v7 as uuidv7 } from "uuid";
import { chunk, createOpFactory } from "../op-factory.js";
import { round } from "../stats.js";
import type { Benchmark, BenchOutcome, Size } from "../types.js";

const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

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
        { label: "one-field update operation (JSON)", value: editBytes, unit: "B" },
        { label: "of which metadata (ids, seq, kind, HLC)", value: editMetadata, unit: "B" },
        { label: "per op inside a push batch", value: round(pushPerOp), unit: "B" },
        { label: "per op inside a push batch, gzip", value: round(pushGzipPerOp), unit: "B" },
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
          actual: `${editMetadata} B`,
          met: editMetadata <= 40,
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
      ],
      notes: [
        'Metadata = operation bytes minus the changed field\'s own `"checked":true`.',
        "Three UUID strings (opId, clientId, record id) are 108 of the operation's bytes; the HLC is 24.",
      ],
    };
  },
};
