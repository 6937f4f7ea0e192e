/**
 * What the scan planner knows of a credential beyond one request: the sizes of AMPECO collections
 * learnt by earlier requests (enough to choose between N point reads and scanning a listing), and
 * whether the credential's rate budget is tight now (then calls, not round trips, are what to save).
 * It holds counts, never records, and is keyed by a hash of the credential, so nothing a token may
 * read leaks to another. Today in memory per process; the interface lets replicas share it later (Redis).
 */
export interface CollectionSize {
  /** Exact size, known after a complete scan. */
  count?: number;
  /** At least this many: a scan stopped early saw this many. */
  atLeast?: number;
  /**
   * The scan that saw `atLeast` read all the pages it was allowed (or met a cursor that did not advance)
   * without reaching the end, rather than stopping once it had found what it sought. The tight-budget
   * planner does not try a children scan of such a collection again (see scan-plan.ts).
   */
  cutShort?: boolean;
  at: number;
}

export interface CollectionStats {
  get(credential: string, collection: string): CollectionSize | undefined;
  record(credential: string, collection: string, size: Omit<CollectionSize, 'at'>): void;
  /** Whether the credential's rate budget is tight (see InMemoryRateBudget.tight); false when unknown. */
  budgetTight?(credential: string): boolean;
}

export class InMemoryCollectionStats implements CollectionStats {
  private readonly sizes = new Map<string, CollectionSize>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly maxEntries = 10_000,
    /** Asks the rate budget (the upstream client's) about a credential; the budget is never tight without it. */
    private readonly budget?: (credential: string) => boolean,
  ) {}

  budgetTight(credential: string): boolean {
    return this.budget?.(credential) ?? false;
  }

  get(credential: string, collection: string): CollectionSize | undefined {
    const key = `${credential}\u0000${collection}`;
    const size = this.sizes.get(key);
    if (size && Date.now() - size.at > this.ttlMs) {
      this.sizes.delete(key);
      return undefined;
    }
    return size;
  }

  record(credential: string, collection: string, size: Omit<CollectionSize, 'at'>): void {
    if (this.sizes.size >= this.maxEntries) this.sizes.delete(this.sizes.keys().next().value!);
    this.sizes.set(`${credential}\u0000${collection}`, Object.assign({}, size, { at: Date.now() }));
  }
}
