import { randomBytes } from 'node:crypto';

let lastMs = 0;
let seq = 0;

// Random bytes come from a pool refilled 4 KB at a time: one getrandom() call per 240 ids instead of
// two per id (ad decisions make an id each, and the syscall cost more than the rest of the id).
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;

function randomFromPool(size: number): Buffer {
  if (poolOffset + size > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const out = pool.subarray(poolOffset, poolOffset + size);
  poolOffset += size;
  return out;
}

/** RFC 9562 UUID version 7: time-ordered, so new rows append to the end of indexes. */
export function uuidv7(now = Date.now()): string {
  // A 12-bit counter keeps ids monotonic within one millisecond on this process.
  if (now <= lastMs) {
    seq = (seq + 1) & 0xfff;
    if (seq === 0) lastMs += 1;
    now = lastMs;
  } else {
    lastMs = now;
    seq = randomFromPool(2).readUInt16BE(0) & 0x7ff;
  }
  const bytes = randomFromPool(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | ((seq >> 8) & 0x0f);
  bytes[7] = seq & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
