/**
 * Opens storage adapters on fresh database names and reopens a closed one by the name it had,
 * as the contract suites' `open` and `reopen` need.
 */
export function byName<S extends object>(prefix: string, open: (dbName: string) => Promise<S>) {
  let counter = 0;
  const names = new WeakMap<S, string>();
  const openNamed = async (dbName: string): Promise<S> => {
    const storage = await open(dbName);
    names.set(storage, dbName);
    return storage;
  };
  return {
    fresh: () => openNamed(`${prefix}-${Date.now()}-${++counter}`),
    reopen: (closed: S) => {
      const dbName = names.get(closed);
      if (!dbName) throw new Error("not opened here");
      return openNamed(dbName);
    },
  };
}
