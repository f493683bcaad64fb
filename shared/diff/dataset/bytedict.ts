// Byte-keyed dictionary for categorical columns: a repeated category is looked up by its bytes and
// never becomes a JS string again (values of ≤ 8 bytes are keyed by the bytes themselves).
import { NULL_TOKENS, looseDecoder, strictDecoder } from './common';

export class ByteDict {
  private table: Int32Array;
  private mask: number;
  private hashes: Int32Array;
  private offs: Int32Array;
  private lens: Int32Array;
  private entryCode: Int32Array;
  private k1s: Int32Array;
  private k2s: Int32Array;
  private arena: Uint8Array;
  private arenaLen = 0;
  size = 0;
  strings: string[] = [];
  invalidUtf8 = false;

  constructor(initial = 64) {
    let cap = 16;
    while (cap < initial * 2) cap <<= 1;
    this.table = new Int32Array(cap);
    this.mask = cap - 1;
    this.hashes = new Int32Array(initial);
    this.offs = new Int32Array(initial);
    this.lens = new Int32Array(initial);
    this.entryCode = new Int32Array(initial);
    this.k1s = new Int32Array(initial);
    this.k2s = new Int32Array(initial);
    this.arena = new Uint8Array(Math.max(256, initial * 8));
  }

  /** Code of the value in b[s, e): −1 for a null token. */
  lookup(b: Uint8Array, s: number, e: number): number {
    const len = e - s;
    if (len <= 8) return this.lookupShort(b, s, len);
    return this.lookupLong(b, s, e);
  }

  /** Values of at most 8 bytes: the bytes themselves (two int32) are the key, no byte comparison. */
  private lookupShort(b: Uint8Array, s: number, len: number): number {
    let k1 = 0;
    let k2 = 0;
    if (len >= 4) {
      k1 = b[s] | (b[s + 1] << 8) | (b[s + 2] << 16) | (b[s + 3] << 24);
      for (let k = 4; k < len; k++) k2 |= b[s + k] << ((k - 4) << 3);
    } else for (let k = 0; k < len; k++) k1 |= b[s + k] << (k << 3);
    return this.lookupKey(k1, k2, len, b, s);
  }

  /** Short value whose key (bytes 0–3 little-endian in k1, 4–7 in k2) is already computed. */
  lookupKey(k1: number, k2: number, len: number, b: Uint8Array, s: number): number {
    let h = Math.imul(k1 ^ Math.imul(k2 ^ len, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 15;
    let slot = h & this.mask;
    const table = this.table;
    for (;;) {
      const ent = table[slot];
      if (ent === 0) break;
      const idx = ent - 1;
      if (this.lens[idx] === len && this.k1s[idx] === k1 && this.k2s[idx] === k2) return this.entryCode[idx];
      slot = (slot + 1) & this.mask;
    }
    const idx = this.size;
    const code = this.insert(b, s, s + len, h, slot);
    this.k1s[idx] = k1;
    this.k2s[idx] = k2;
    return code;
  }

  lookupLong(b: Uint8Array, s: number, e: number): number {
    let h = 0x811c9dc5 | 0;
    for (let k = s; k < e; k++) h = Math.imul(h ^ b[k], 0x01000193);
    const len = e - s;
    let slot = h & this.mask;
    const table = this.table;
    for (;;) {
      const ent = table[slot];
      if (ent === 0) break;
      const idx = ent - 1;
      if (this.hashes[idx] === h && this.lens[idx] === len) {
        const o = this.offs[idx];
        const arena = this.arena;
        let k = 0;
        while (k < len && arena[o + k] === b[s + k]) k++;
        if (k === len) return this.entryCode[idx];
      }
      slot = (slot + 1) & this.mask;
    }
    return this.insert(b, s, e, h, slot);
  }

  private insert(b: Uint8Array, s: number, e: number, h: number, slot: number): number {
    const len = e - s;
    const idx = this.size;
    if (idx >= this.hashes.length) {
      const cap = this.hashes.length * 2;
      const grow = (a: Int32Array) => {
        const n = new Int32Array(cap);
        n.set(a);
        return n;
      };
      this.hashes = grow(this.hashes);
      this.offs = grow(this.offs);
      this.lens = grow(this.lens);
      this.entryCode = grow(this.entryCode);
      this.k1s = grow(this.k1s);
      this.k2s = grow(this.k2s);
    }
    if (this.arenaLen + len > this.arena.length) {
      let cap = this.arena.length * 2;
      while (cap < this.arenaLen + len) cap *= 2;
      const n = new Uint8Array(cap);
      n.set(this.arena.subarray(0, this.arenaLen));
      this.arena = n;
    }
    this.arena.set(b.subarray(s, e), this.arenaLen);
    this.hashes[idx] = h;
    this.offs[idx] = this.arenaLen;
    this.lens[idx] = len;
    this.arenaLen += len;
    let str: string;
    try {
      str = strictDecoder.decode(b.subarray(s, e));
    } catch {
      str = looseDecoder.decode(b.subarray(s, e));
      this.invalidUtf8 = true;
    }
    let code: number;
    if (NULL_TOKENS.has(str)) code = -1;
    else {
      code = this.strings.length;
      this.strings.push(str);
    }
    this.entryCode[idx] = code;
    this.table[slot] = idx + 1;
    this.size++;
    if (this.size * 2 > this.table.length) this.rehash();
    return code;
  }

  private rehash(): void {
    const cap = this.table.length * 2;
    const table = new Int32Array(cap);
    const mask = cap - 1;
    for (let idx = 0; idx < this.size; idx++) {
      let slot = this.hashes[idx] & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = idx + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}
