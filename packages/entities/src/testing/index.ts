export { sampleCreateFields, sampleValue } from "./sample-fields.js";
