import type { FieldValue } from "@sync/protocol";

/**
 * How concurrent writes to one field combine:
 * - lww: last writer wins by HLC
 * - ask: keep the server value and report a conflict when the writer did not see it (three-way, base = what the writer saw)
 * - counter: increments add up, each exactly once
 * - immutable: set at create, never changed (owner references)
 * - server: assigned by the server, read-only for clients
 */
export type MergeStrategy = "lww" | "ask" | "counter" | "immutable" | "server";

export type FieldType = "string" | "boolean" | "integer" | "ref" | "timestamp";

export interface FieldSpec {
  readonly type: FieldType;
  readonly merge: MergeStrategy;
  /** Value a create gets when it leaves the field out. Without one the field is required. */
  readonly default?: FieldValue;
  readonly nullable?: boolean;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly min?: number;
  readonly max?: number;
  /** Entity a `ref` field points to. */
  readonly ref?: string;
}

interface StringOptions {
  merge?: "lww" | "ask";
  minLength?: number;
  maxLength: number;
  default?: string;
  trim?: boolean;
}

/** Field builders: the vocabulary of an entity definition. */
export const field = {
  text(options: StringOptions): FieldSpec {
    return {
      type: "string",
      merge: options.merge ?? "lww",
      maxLength: options.maxLength,
      minLength: options.minLength ?? 0,
      ...(options.default === undefined ? {} : { default: options.default }),
    };
  },
  boolean(options: { merge?: "lww" | "ask"; default?: boolean } = {}): FieldSpec {
    return {
      type: "boolean",
      merge: options.merge ?? "lww",
      ...(options.default === undefined ? {} : { default: options.default }),
    };
  },
  integer(options: {
    merge?: "lww" | "ask";
    min: number;
    max: number;
    default?: number;
  }): FieldSpec {
    return {
      type: "integer",
      merge: options.merge ?? "lww",
      min: options.min,
      max: options.max,
      ...(options.default === undefined ? {} : { default: options.default }),
    };
  },
  /** A PN-counter: clients send increments, never absolute values. */
  counter(options: { min: number; max: number; default: number }): FieldSpec {
    return { type: "integer", merge: "counter", ...options };
  },
  /** Reference to the owning record; fixed at create. */
  ref(entity: string): FieldSpec {
    return { type: "ref", merge: "immutable", ref: entity };
  },
  /**
   * Milliseconds since the epoch, assigned by the server. Nullable when rows stored before the
   * field existed have no value for it.
   */
  serverTime(options: { nullable?: boolean } = {}): FieldSpec {
    return { type: "timestamp", merge: "server", ...(options.nullable ? { nullable: true } : {}) };
  },
  serverText(options: { maxLength: number }): FieldSpec {
    return { type: "string", merge: "server", maxLength: options.maxLength };
  },
  serverRef(entity: string, options: { nullable?: boolean } = {}): FieldSpec {
    return {
      type: "ref",
      merge: "server",
      ref: entity,
      ...(options.nullable ? { nullable: true } : {}),
    };
  },
} as const;
