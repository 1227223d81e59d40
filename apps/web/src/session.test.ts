import { describe, expect, it } from "vitest";
import { dbNameFor, forgetUser, type KeyValueStore, loadUser, saveUser } from "./session.js";

function memoryStore(): KeyValueStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

describe("remembered user", () => {
  it("survives a reload: what is saved is loaded", () => {
    const store = memoryStore();
    expect(loadUser(store)).toBeNull();
    saveUser(store, { id: "u1", username: "ann" });
    expect(loadUser(store)).toEqual({ id: "u1", username: "ann" });
    forgetUser(store);
    expect(loadUser(store)).toBeNull();
  });

  it("treats a corrupt or foreign entry as signed out", () => {
    const store = memoryStore();
    store.setItem("shoplist.user", "{not json");
    expect(loadUser(store)).toBeNull();
    store.setItem("shoplist.user", JSON.stringify({ id: 3, username: "x" }));
    expect(loadUser(store)).toBeNull();
    store.setItem("shoplist.user", JSON.stringify({ id: "", username: "x" }));
    expect(loadUser(store)).toBeNull();
  });

  it("stores only id and username", () => {
    const store = memoryStore();
    saveUser(store, { id: "u1", username: "ann", token: "secret" } as never);
    expect(store.map.get("shoplist.user")).toBe('{"id":"u1","username":"ann"}');
  });

  it("names one database per user", () => {
    expect(dbNameFor("u-42")).toBe("shoplist-u-42");
  });
});
