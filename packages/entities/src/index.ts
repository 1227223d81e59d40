export {
  type Applied,
  type ApplyOptions,
  applyOperation,
  DELETED_CLOCK,
  type RecordState,
} from "./apply.js";
export {
  defaultValue,
  defineEntity,
  type EntityDefinition,
  type Ownership,
  type ServerContext,
} from "./define.js";
export { type FieldSpec, type FieldType, field, type MergeStrategy } from "./field.js";
export { note } from "./note.js";
export { defineSchema, type EntitySchema } from "./schema.js";
export { item, list, membership, shoppingSchema } from "./shopping.js";
export { type Rejection, type Validated, validateOperation } from "./validate.js";
export { valueSchema } from "./value-schema.js";
