import { type FieldMap, type FieldValue, LIMITS } from "@sync/protocol";
import type { FieldSpec } from "./field.js";
import { valueSchema } from "./value-schema.js";

/** Where a record's membership check goes: its own id is a list id, or a field points to one. */
export type Ownership =
  | { readonly kind: "root" }
  | { readonly kind: "field"; readonly field: string };

export interface ServerContext {
  readonly now: number;
  readonly userId: string;
  /** A fresh random code of the protocol's invite-code length. */
  readonly randomCode: () => string;
}

export interface EntityDefinition<F extends Record<string, FieldSpec> = Record<string, FieldSpec>> {
  /** Entity name on the wire, lower camelCase. */
  readonly name: string;
  readonly fields: F;
  readonly owner: Ownership;
  /** False for entities only the server writes (memberships). */
  readonly clientWritable: boolean;
  /** Values of `server` fields, computed once at create. */
  readonly serverDefaults?: (ctx: ServerContext) => FieldMap;
  /**
   * Values of `server` fields the server sets on every operation that changes the record,
   * create included (e.g. `changedBy`, `changedAt`). An operation that changes nothing (every
   * field lost to newer clocks, a duplicate, a rejection) leaves them as they are.
   */
  readonly serverOnChange?: (ctx: ServerContext) => FieldMap;
  /** Index hints for local and server stores: field lists (the server schema test checks them). */
  readonly indexes?: readonly (readonly string[])[];
  /** The text field that names a record to a person (conflict inbox, dead letters). */
  readonly label?: string;
}

/** Field names checked by the compiler at the definition (kept out of the stored type for variance). */
interface FieldKeys<F> {
  readonly indexes?: readonly (readonly (keyof F & string)[])[];
  readonly label?: keyof F & string;
}

const NAME = /^[a-z][a-zA-Z0-9]*$/;

/**
 * Declares one synced entity. Everything else derives from this object: validation and merge
 * on client and server (validateOperation, applyOperation), authorization through `owner`,
 * and the server table, which a test checks against it. Mistakes that would only show up at
 * run time throw here, when the module loads.
 */
export function defineEntity<F extends Record<string, FieldSpec>>(
  definition: EntityDefinition<F> & FieldKeys<F>,
): EntityDefinition<F> {
  const problem = definitionProblem(definition);
  if (problem) throw new Error(`${definition.name}: ${problem}`);
  return definition;
}

function definitionProblem(definition: EntityDefinition): string | undefined {
  if (!NAME.test(definition.name) || definition.name.length > LIMITS.maxNameLength) {
    return "entity names are lower camelCase (letters and digits)";
  }
  const { fields, owner } = definition;
  for (const [name, spec] of Object.entries(fields)) {
    if (!NAME.test(name) || name.length > LIMITS.maxNameLength) {
      return `field "${name}" must be lower camelCase`;
    }
    if (spec.type === "string" && (spec.maxLength ?? Infinity) > LIMITS.maxStringLength) {
      return `${name}.maxLength must be at most ${LIMITS.maxStringLength} (protocol limit)`;
    }
  }
  if (owner.kind === "field" && fields[owner.field]?.type !== "ref") {
    return `owner field ${owner.field} must be a ref field`;
  }
  for (const index of definition.indexes ?? []) {
    const unknown = index.find((name) => !Object.hasOwn(fields, name));
    if (index.length === 0 || unknown !== undefined) {
      return `index [${index.join(", ")}] names a field the entity does not have`;
    }
  }
  if (definition.label !== undefined && fields[definition.label]?.type !== "string") {
    return `label ${definition.label} must be a text field`;
  }
  const atCreate = serverValuesProblem(fields, "serverDefaults", definition.serverDefaults);
  if (typeof atCreate === "string") return atCreate;
  const onChange = serverValuesProblem(fields, "serverOnChange", definition.serverOnChange);
  if (typeof onChange === "string") return onChange;
  const both = atCreate.find((name) => onChange.includes(name));
  if (both !== undefined) {
    return `${both} is set by both serverDefaults and serverOnChange: choose one`;
  }
  return undefined;
}

// A context with valid sample values: enough to see which fields a server hook assigns.
const PROBE: ServerContext = {
  now: 0,
  userId: "00000000-0000-7000-8000-000000000000",
  randomCode: () => "0".repeat(LIMITS.inviteCodeLength),
};

/** The field names a server hook assigns, or what is wrong with it. */
function serverValuesProblem(
  fields: Record<string, FieldSpec>,
  hook: string,
  compute: ((ctx: ServerContext) => FieldMap) | undefined,
): readonly string[] | string {
  if (compute === undefined) return [];
  const values = compute(PROBE);
  for (const [name, value] of Object.entries(values)) {
    const spec = fields[name];
    if (spec?.merge !== "server") return `${hook} sets ${name}, which is not a server field`;
    if (!valueSchema(spec).safeParse(value).success) {
      return `${hook} gives ${name} a value that is not a valid ${spec.type}`;
    }
  }
  return Object.keys(values);
}

/** Values a record of this entity shows before anything is known, for a create's defaults. */
export function defaultValue(spec: FieldSpec): FieldValue | undefined {
  if (spec.default !== undefined) return spec.default;
  if (spec.nullable) return null;
  return undefined;
}
