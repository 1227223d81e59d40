export { appliedOps, clients } from "./clients.js";
export { changeVersionSeq, items, lists, memberships } from "./entities.js";
export { serverMeta } from "./meta.js";
export { notes } from "./notes.js";
export { sessions, users } from "./users.js";
