/** Maps ordinals to ids and back; deterministic GUIDs or fixed well-known ids. */
export interface IdScheme {
  encode(ordinal: number): string;
  decode(id: string, count: number): number | undefined;
}

export type Json = Record<string, unknown>;

/**
 * One directory collection: generated base objects (addressed by ordinal, never stored) plus an
 * overlay of updated, created and removed objects. Positions are stable: base objects keep their
 * ordinal, created objects are appended, so paging cursors stay valid while the tenant changes.
 */
export class ObjectCollection {
  private readonly overrides = new Map<string, Json>();
  private readonly removedBase = new Set<string>();
  private readonly created: Array<Json | null> = [];
  private readonly createdIndex = new Map<string, number>();
  private liveCreated = 0;

  constructor(
    readonly name: string,
    readonly baseCount: number,
    private readonly codec: IdScheme,
    private readonly generate: (ordinal: number) => Json,
  ) {}

  idAt(ordinal: number): string {
    return this.codec.encode(ordinal);
  }

  ordinalOf(id: string): number | undefined {
    return this.codec.decode(id.toLowerCase(), this.baseCount);
  }

  get(id: string): Json | undefined {
    const key = id.toLowerCase();
    if (this.removedBase.has(key)) return undefined;
    const override = this.overrides.get(key);
    if (override) return structuredClone(override);
    const ordinal = this.ordinalOf(key);
    if (ordinal !== undefined) return this.generate(ordinal);
    const index = this.createdIndex.get(key);
    if (index === undefined) return undefined;
    const obj = this.created[index];
    return obj ? structuredClone(obj) : undefined;
  }

  has(id: string): boolean {
    const key = id.toLowerCase();
    if (this.removedBase.has(key)) return false;
    return this.overrides.has(key) || this.ordinalOf(key) !== undefined || this.createdIndex.has(key);
  }

  /** Number of positions (base ordinals plus every object ever created). */
  get positions(): number {
    return this.baseCount + this.created.length;
  }

  /** Live objects. */
  count(): number {
    return this.baseCount - this.removedBase.size + this.liveCreated;
  }

  /** The object at a position, or null when it was removed. */
  at(position: number): Json | null {
    if (position < this.baseCount) {
      // Fast path for untouched collections: no need to compute the id to consult the overlay.
      if (this.removedBase.size === 0 && this.overrides.size === 0) return this.generate(position);
      const id = this.codec.encode(position);
      if (this.removedBase.has(id)) return null;
      const override = this.overrides.get(id);
      return override ? structuredClone(override) : this.generate(position);
    }
    const obj = this.created[position - this.baseCount];
    return obj ? structuredClone(obj) : null;
  }

  /** Stores a full object (insert or replace). */
  put(obj: Json): void {
    const id = String(obj['id']).toLowerCase();
    const copy = structuredClone(obj);
    copy['id'] = id;
    if (this.ordinalOf(id) !== undefined) {
      this.removedBase.delete(id);
      this.overrides.set(id, copy);
      return;
    }
    const index = this.createdIndex.get(id);
    if (index !== undefined) {
      this.created[index] = copy;
      return;
    }
    this.createdIndex.set(id, this.created.length);
    this.created.push(copy);
    this.liveCreated++;
  }

  remove(id: string): boolean {
    const key = id.toLowerCase();
    if (this.ordinalOf(key) !== undefined) {
      if (this.removedBase.has(key)) return false;
      this.removedBase.add(key);
      this.overrides.delete(key);
      return true;
    }
    const index = this.createdIndex.get(key);
    if (index === undefined) return false;
    this.created[index] = null;
    this.createdIndex.delete(key);
    this.liveCreated--;
    return true;
  }

  *ids(): Generator<string> {
    for (let p = 0; p < this.positions; p++) {
      if (p < this.baseCount) {
        const id = this.codec.encode(p);
        if (!this.removedBase.has(id)) yield id;
      } else {
        const obj = this.created[p - this.baseCount];
        if (obj) yield String(obj['id']);
      }
    }
  }

  /** Live objects, in position order. */
  *values(): Generator<Json> {
    for (let p = 0; p < this.positions; p++) {
      const obj = this.at(p);
      if (obj) yield obj;
    }
  }
}
