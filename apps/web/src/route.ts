/** Screens addressed by the URL hash, so a reload (online or not) reopens the same screen. */
export type Route =
  | { readonly name: "lists" }
  | { readonly name: "list"; readonly listId: string }
  | { readonly name: "not-found"; readonly hash: string };

const LIST_PATH = /^#\/list\/([0-9a-fA-F-]{1,64})\/?$/;

export function parseHash(hash: string): Route {
  if (hash === "" || hash === "#" || hash === "#/" || hash === "#/lists" || hash === "#/lists/") {
    return { name: "lists" };
  }
  const match = LIST_PATH.exec(hash);
  if (match?.[1]) return { name: "list", listId: match[1].toLowerCase() };
  return { name: "not-found", hash };
}

export function formatRoute(route: Route): string {
  switch (route.name) {
    case "lists":
      return "#/lists";
    case "list":
      return `#/list/${route.listId}`;
    case "not-found":
      return route.hash;
  }
}

export function sameRoute(a: Route, b: Route): boolean {
  return formatRoute(a) === formatRoute(b);
}
