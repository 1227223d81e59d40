/** A tiny render helper: build elements declaratively, then patch them in place. */

type Attrs = Record<string, string | number | boolean | null | undefined>;
type Child = Node | string | null | undefined | false;
type Handlers = { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  children: readonly Child[] = [],
  on: Handlers = {},
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) setAttr(el, name, value);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);
  }
  for (const [type, handler] of Object.entries(on)) {
    el.addEventListener(type, handler as EventListener);
  }
  return el;
}

/** `testid` is shorthand for `data-testid`; false/null/undefined remove the attribute. */
export function setAttr(el: Element, name: string, value: Attrs[string]): void {
  const attr = name === "testid" ? "data-testid" : name;
  if (value === false || value === null || value === undefined) {
    if (el.hasAttribute(attr)) el.removeAttribute(attr);
    return;
  }
  const next = value === true ? "" : String(value);
  if (el.getAttribute(attr) !== next) el.setAttribute(attr, next);
}

/** Writes text only when it changed, so screen readers and selections are not disturbed. */
export function setText(el: Node, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

export function show(el: HTMLElement, visible: boolean): void {
  if (el.hidden === visible) el.hidden = !visible;
}

/** The part of a DOM parent that keyed patching uses (a tiny fake stands in for it in tests). */
export interface PatchParent<N> {
  readonly childNodes: ArrayLike<object>;
  insertBefore(node: N, reference: object | null): unknown;
  removeChild(node: N): unknown;
}

/**
 * Makes `parent`'s children one node per item, in item order, reusing the node of each key:
 * existing nodes (and any input or focus inside them) survive re-renders. Nodes in `parent` that
 * were not created here are left alone only if they come after the keyed ones.
 */
export function patchKeyed<T, N>(
  parent: PatchParent<N>,
  nodes: Map<string, N>,
  items: readonly T[],
  key: (item: T) => string,
  create: (item: T) => N,
  update: (node: N, item: T) => void,
): void {
  const wanted = new Set<string>();
  items.forEach((item, index) => {
    const k = key(item);
    wanted.add(k);
    let node = nodes.get(k);
    if (node === undefined) {
      node = create(item);
      nodes.set(k, node);
    }
    update(node, item);
    const current = parent.childNodes[index] ?? null;
    if (current !== node) parent.insertBefore(node, current);
  });
  for (const [k, node] of nodes) {
    if (wanted.has(k)) continue;
    parent.removeChild(node);
    nodes.delete(k);
  }
}
