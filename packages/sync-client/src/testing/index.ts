export { runLocalStoreContract } from "./local-store-contract.js";
