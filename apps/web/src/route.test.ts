import { describe, expect, it } from "vitest";
import { formatRoute, parseHash, sameRoute } from "./route.js";

const ID = "01890a5d-ac96-774b-bcce-b302099a8057";

describe("hash routing", () => {
  it("opens the lists screen for an empty or root hash", () => {
    for (const hash of ["", "#", "#/", "#/lists", "#/lists/"]) {
      expect(parseHash(hash)).toEqual({ name: "lists" });
    }
  });

  it("round-trips a list route so a reload returns to the same list", () => {
    const route = parseHash(`#/list/${ID}`);
    expect(route).toEqual({ name: "list", listId: ID });
    expect(parseHash(formatRoute(route))).toEqual(route);
  });

  it("normalises the id to lower case, as ids are stored", () => {
    expect(parseHash(`#/list/${ID.toUpperCase()}`)).toEqual({ name: "list", listId: ID });
  });

  it("reports anything else as not found instead of guessing", () => {
    expect(parseHash("#/list/")).toEqual({ name: "not-found", hash: "#/list/" });
    expect(parseHash("#/list/<script>")).toEqual({ name: "not-found", hash: "#/list/<script>" });
    expect(parseHash("#/settings")).toEqual({ name: "not-found", hash: "#/settings" });
  });

  it("compares routes by their address", () => {
    expect(sameRoute({ name: "lists" }, parseHash("#/"))).toBe(true);
    expect(sameRoute({ name: "lists" }, { name: "list", listId: ID })).toBe(false);
  });
});
