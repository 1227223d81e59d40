import { type FieldValue, uuidSchema } from "@sync/protocol";
import { z } from "zod";
import type { FieldSpec } from "./field.js";

/** The zod schema of one field's value, derived from its spec (client and server use the same). */
export function valueSchema(spec: FieldSpec): z.ZodType<FieldValue> {
  const base = baseSchema(spec);
  return spec.nullable ? base.nullable() : base;
}

function baseSchema(spec: FieldSpec): z.ZodType<FieldValue> {
  switch (spec.type) {
    case "string": {
      let s = z.string();
      if (spec.minLength !== undefined) s = s.min(spec.minLength);
      if (spec.maxLength !== undefined) s = s.max(spec.maxLength);
      return s;
    }
    case "boolean":
      return z.boolean();
    case "integer": {
      let n = z.number().int();
      if (spec.min !== undefined) n = n.min(spec.min);
      if (spec.max !== undefined) n = n.max(spec.max);
      return n;
    }
    case "ref":
      return uuidSchema;
    case "timestamp":
      return z.number().int().nonnegative();
  }
}

const schemaCache = new WeakMap<FieldSpec, z.ZodType<FieldValue>>();

export function cachedValueSchema(spec: FieldSpec): z.ZodType<FieldValue> {
  let schema = schemaCache.get(spec);
  if (!schema) {
    schema = valueSchema(spec);
    schemaCache.set(spec, schema);
  }
  return schema;
}
