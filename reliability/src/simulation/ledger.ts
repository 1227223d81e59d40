/** What the people did and the engines acknowledged (each write resolved: durable locally). */
export interface ItemLedger {
  readonly id: string;
  /** 1 (the default quantity) plus every acknowledged increment. */
  expectedQty: number;
  /** Every text an acknowledged write gave it: the final text must be one of them. */
  readonly texts: Set<string>;
}

export class Ledger {
  readonly items = new Map<string, ItemLedger>();
  /** Acknowledged ops of the intruder: each must end as a dead letter. */
  intruderOps = 0;
  readonly acknowledged = new Map<string, number>();
  /** Writes the engine refused synchronously (e.g. validation); not acknowledged. */
  refused = 0;

  ack(kind: string): void {
    this.acknowledged.set(kind, (this.acknowledged.get(kind) ?? 0) + 1);
  }

  created(id: string, text: string): void {
    this.items.set(id, { id, expectedQty: 1, texts: new Set([text]) });
    this.ack("create");
  }

  total(): number {
    let n = 0;
    for (const count of this.acknowledged.values()) n += count;
    return n;
  }
}
