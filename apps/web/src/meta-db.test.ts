import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { getLastDbName, setLastDbName } from "./meta-db.js";

describe("meta database read by the service worker", () => {
  it("remembers the last user's database name until it is cleared", async () => {
    await expect(getLastDbName()).resolves.toBeNull();
    await setLastDbName("shoplist-u1");
    await expect(getLastDbName()).resolves.toBe("shoplist-u1");
    await setLastDbName("shoplist-u2");
    await expect(getLastDbName()).resolves.toBe("shoplist-u2");
    await setLastDbName(null);
    await expect(getLastDbName()).resolves.toBeNull();
  });
});
