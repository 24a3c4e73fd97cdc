// A sorted (timestamp, id) index over contact numbers. The base is two typed arrays built by one
// sort; contacts that change later go to a small sorted delta and their base entry turns stale.
// Paging a 1M-contact search is then a binary search plus a short merge walk, not a scan.

import { idWords } from "./seeded-ids";

export interface IndexColumns {
  /** The indexed timestamp of each contact number. */
  values: Float64Array;
  idHi: Uint32Array;
  idMid: Uint32Array;
  idLow: Uint32Array;
}

/** A cursor position: the last row's sort value and id. */
export interface Probe {
  value: number;
  id: string;
}

export interface WalkRequest {
  ascending: boolean;
  /** Values in [lo, hi) only. */
  lo: number;
  hi: number;
  /** Start strictly after this key in walk order. */
  after?: Probe;
  limit: number;
  accept: (n: number) => boolean;
}

const NONE = 0;
const BASE = 1;
const DELTA = 2;

function compareContacts(a: number, b: number, c: IndexColumns): number {
  return (
    (c.values[a] as number) - (c.values[b] as number) ||
    (c.idHi[a] as number) - (c.idHi[b] as number) ||
    (c.idMid[a] as number) - (c.idMid[b] as number) ||
    (c.idLow[a] as number) - (c.idLow[b] as number)
  );
}

/** Lower bound on a sorted numeric sequence read through `at`. */
function lowerBound(length: number, at: (i: number) => number, target: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (at(mid) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SortedIndex {
  private order = new Uint32Array(0);
  private baseValues = new Float64Array(0);
  private where = new Uint8Array(0);
  private staleValues: number[] = [];
  private delta: number[] = [];

  constructor(private readonly columns: () => IndexColumns) {}

  /** Replaces everything with `members`, sorted. O(N log N); done at load and on compaction. */
  rebuild(members: Uint32Array, capacity: number): void {
    const c = this.columns();
    this.order = members.slice().sort((a, b) => compareContacts(a, b, c));
    this.baseValues = new Float64Array(this.order.length);
    this.where = new Uint8Array(capacity);
    for (let i = 0; i < this.order.length; i++) {
      const n = this.order[i] as number;
      this.baseValues[i] = c.values[n] as number;
      this.where[n] = BASE;
    }
    this.staleValues = [];
    this.delta = [];
  }

  ensureCapacity(capacity: number): void {
    if (capacity <= this.where.length) return;
    const grown = new Uint8Array(capacity);
    grown.set(this.where);
    this.where = grown;
  }

  /** True when the delta has grown enough that a rebuild pays off. */
  needsCompaction(): boolean {
    return this.delta.length + this.staleValues.length > Math.max(16_384, this.order.length / 8);
  }

  insert(n: number): void {
    if (this.where[n] !== NONE) return;
    const c = this.columns();
    let lo = 0;
    let hi = this.delta.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareContacts(this.delta[mid] as number, n, c) < 0) lo = mid + 1;
      else hi = mid;
    }
    this.delta.splice(lo, 0, n);
    this.where[n] = DELTA;
  }

  /** Call before the contact's indexed value changes: the entry is found by its current key. */
  remove(n: number): void {
    const c = this.columns();
    if (this.where[n] === DELTA) {
      let lo = 0;
      let hi = this.delta.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (compareContacts(this.delta[mid] as number, n, c) < 0) lo = mid + 1;
        else hi = mid;
      }
      if (this.delta[lo] === n) this.delta.splice(lo, 1);
    } else if (this.where[n] === BASE) {
      const value = c.values[n] as number;
      const stale = this.staleValues;
      stale.splice(lowerBound(stale.length, (i) => stale[i] as number, value), 0, value);
    }
    this.where[n] = NONE;
  }

  /** How many indexed contacts have a value in [lo, hi). O(log N). */
  count(lo: number, hi: number): number {
    if (!(lo < hi)) return 0;
    const base = this.baseValues;
    const stale = this.staleValues;
    const values = this.columns().values;
    const delta = this.delta;
    const inBase = (v: number) => lowerBound(base.length, (i) => base[i] as number, v);
    const inStale = (v: number) => lowerBound(stale.length, (i) => stale[i] as number, v);
    const inDelta = (v: number) => lowerBound(delta.length, (i) => values[delta[i] as number] as number, v);
    return inBase(hi) - inBase(lo) - (inStale(hi) - inStale(lo)) + inDelta(hi) - inDelta(lo);
  }

  /** Accepted contact numbers in walk order, up to `limit`, and whether more follow. */
  walk(req: WalkRequest): { numbers: number[]; more: boolean } {
    const c = this.columns();
    const probeWords = req.after ? idWords(req.after.id) : undefined;
    // Sign of (key of contact n) - (probe key), with the probe id compared as a string if odd.
    const vsProbe = (n: number, value: number): number => {
      const p = req.after as Probe;
      if (value !== p.value) return value - p.value;
      if (probeWords) {
        return (c.idHi[n] as number) - probeWords[0] || (c.idMid[n] as number) - probeWords[1] || (c.idLow[n] as number) - probeWords[2];
      }
      const id = [c.idHi[n], c.idMid[n], c.idLow[n]].map((w) => (w as number).toString(16).padStart(8, "0")).join("");
      return id < p.id ? -1 : id > p.id ? 1 : 0;
    };
    const order = this.order;
    const base = this.baseValues;
    const delta = this.delta;
    const deltaValue = (j: number) => c.values[delta[j] as number] as number;
    // First position whose key is above the probe (ascending) / the bound.
    const firstAbove = (length: number, nAt: (i: number) => number, vAt: (i: number) => number, orEqual: boolean) => {
      let lo = 0;
      let hi = length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const cmp = vsProbe(nAt(mid), vAt(mid));
        if (cmp < 0 || (cmp === 0 && !orEqual)) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    const baseN = (i: number) => order[i] as number;
    const baseV = (i: number) => base[i] as number;
    const deltaN = (j: number) => delta[j] as number;

    const numbers: number[] = [];
    let more = false;
    const take = (n: number): boolean => {
      if (!req.accept(n)) return false;
      if (numbers.length === req.limit) {
        more = true;
        return true;
      }
      numbers.push(n);
      return false;
    };

    if (req.ascending) {
      let i = lowerBound(order.length, baseV, req.lo);
      let j = lowerBound(delta.length, deltaValue, req.lo);
      if (req.after) {
        i = Math.max(i, firstAbove(order.length, baseN, baseV, false));
        j = Math.max(j, firstAbove(delta.length, deltaN, deltaValue, false));
      }
      for (;;) {
        while (i < order.length && this.where[order[i] as number] !== BASE) i++;
        const b = i < order.length ? (order[i] as number) : -1;
        const d = j < delta.length ? (delta[j] as number) : -1;
        if (b < 0 && d < 0) break;
        const useBase = d < 0 || (b >= 0 && compareContacts(b, d, c) < 0);
        const n = useBase ? b : d;
        if ((c.values[n] as number) >= req.hi) break;
        if (useBase) i++;
        else j++;
        if (take(n)) break;
      }
    } else {
      let i = lowerBound(order.length, baseV, req.hi) - 1;
      let j = lowerBound(delta.length, deltaValue, req.hi) - 1;
      if (req.after) {
        i = Math.min(i, firstAbove(order.length, baseN, baseV, true) - 1);
        j = Math.min(j, firstAbove(delta.length, deltaN, deltaValue, true) - 1);
      }
      for (;;) {
        while (i >= 0 && this.where[order[i] as number] !== BASE) i--;
        const b = i >= 0 ? (order[i] as number) : -1;
        const d = j >= 0 ? (delta[j] as number) : -1;
        if (b < 0 && d < 0) break;
        const useBase = d < 0 || (b >= 0 && compareContacts(b, d, c) > 0);
        const n = useBase ? b : d;
        if ((c.values[n] as number) < req.lo) break;
        if (useBase) i--;
        else j--;
        if (take(n)) break;
      }
    }
    return { numbers, more };
  }
}
