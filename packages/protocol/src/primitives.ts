import { z } from "zod";
import { LIMITS } from "./limits.js";

/** UUID of any version; ids are UUIDv7 from the client, but older ids stay valid. */
export const uuidSchema = z.uuid();

/** Encoded hybrid logical clock: 24 lowercase base36 characters (see @sync/clock). */
export const HLC_PATTERN = /^[0-9a-z]{24}$/;
export const hlcSchema = z.string().regex(HLC_PATTERN, "expected an encoded HLC");

export const nameSchema = z
  .string()
  .min(1)
  .max(LIMITS.maxNameLength)
  .regex(/^[a-z][a-zA-Z0-9_]*$/, "expected a lower camelCase name");

/** Keys the server refuses anywhere a name is expected. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  "__proto__",
  "constructor",
  "prototype",
]);

export const fieldValueSchema = z.union([
  z.string().max(LIMITS.maxStringLength),
  z.number().finite(),
  z.boolean(),
  z.null(),
  z.array(z.string().max(LIMITS.maxStringLength)).max(LIMITS.maxSetSize),
]);
export type FieldValue = z.infer<typeof fieldValueSchema>;

const hasNoForbiddenKey = (value: unknown): boolean =>
  typeof value !== "object" ||
  value === null ||
  !Object.keys(value).some((k) => FORBIDDEN_KEYS.has(k));

// The key check runs on the input: a record parse would silently drop `__proto__`.
export const fieldMapSchema = z
  .custom<unknown>(hasNoForbiddenKey, "forbidden key (__proto__, constructor, prototype)")
  .pipe(
    z
      .record(nameSchema, fieldValueSchema)
      .refine((m) => Object.keys(m).length <= LIMITS.maxFieldsPerOp, {
        message: `at most ${LIMITS.maxFieldsPerOp} fields`,
      }),
  );
export type FieldMap = z.infer<typeof fieldMapSchema>;

/** Field clocks: the HLC of the write that set each field. `$deleted` clocks the tombstone. */
export const clockMapSchema = z.record(z.string().max(LIMITS.maxNameLength + 1), hlcSchema);
export type ClockMap = z.infer<typeof clockMapSchema>;

export const cursorSchema = z.number().int().nonnegative();
