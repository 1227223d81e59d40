/** In-memory key of a record; entity names are lower camelCase, so "/" never appears in one. */
export function recordKey(entity: string, id: string): string {
  return `${entity}/${id}`;
}
