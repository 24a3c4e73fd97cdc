// Seeded contact ids carry their contact number, scrambled, in the last 8 hex digits. A 1M-contact
// workspace can then answer GET /contacts/{id} without an id -> contact map in memory.

const hex8 = (x: number): string => (x >>> 0).toString(16).padStart(8, "0");

/** An invertible 32-bit mix (Chris Wellons' lowbias32), so ids look random but decode exactly. */
export function mix32(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** Multiplicative inverse of an odd number modulo 2^32 (Newton's iteration). */
function inverseOdd(a: number): number {
  let inv = a;
  for (let i = 0; i < 5; i++) inv = Math.imul(inv, (2 - Math.imul(a, inv)) >>> 0) >>> 0;
  return inv;
}

const INV_B = inverseOdd(0x846ca68b);
const INV_A = inverseOdd(0x7feb352d);

export function unmix32(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, INV_B) >>> 0;
  x = (x ^ (x >>> 15) ^ (x >>> 30)) >>> 0;
  x = Math.imul(x, INV_A) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** A per-seed mask so two seeds give different ids for the same contact number. */
export function seedMask(seed: number): number {
  return mix32((seed ^ 0x5bd1e995) >>> 0);
}

/** PRNG seed for contact n: contact n is a pure function of (seed, n), independent of the count. */
export function contactSeed(seed: number, n: number): number {
  return mix32((seedMask(seed) + Math.imul(n, 0x9e3779b1)) >>> 0);
}

/** The last id word of seeded contact n. */
export function encodeNumber(n: number, mask: number): number {
  return mix32((n ^ mask) >>> 0);
}

/** The contact number hidden in an id's tail, or undefined if the id is not 24 hex digits. */
export function decodeNumber(id: string, mask: number): number | undefined {
  if (!/^[0-9a-f]{24}$/.test(id)) return undefined;
  return (unmix32(Number.parseInt(id.slice(16), 16)) ^ mask) >>> 0;
}

/** A 24-hex id as three 32-bit words, so ids compare numerically in the sorted indexes. */
export function idWords(id: string): [number, number, number] | undefined {
  if (!/^[0-9a-f]{24}$/.test(id)) return undefined;
  return [Number.parseInt(id.slice(0, 8), 16), Number.parseInt(id.slice(8, 16), 16), Number.parseInt(id.slice(16), 16)];
}

export function idFromWords(hi: number, mid: number, low: number): string {
  return hex8(hi) + hex8(mid) + hex8(low);
}
