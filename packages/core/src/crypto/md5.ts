/**
 * MD5 (RFC 1321), for HTTP Digest auth only: Twilio answers Digest challenges with MD5, and WebCrypto
 * has none. Not for anything else. Held to RFC 1321's test suite and to node:crypto in the tests.
 */

/** Per-round left-rotation amounts (RFC 1321 §3.4). */
const SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
/** floor(abs(sin(i + 1)) * 2^32), computed once instead of listed. */
const SINE_TABLE = new Int32Array(64);
for (let i = 0; i < 64; i++) SINE_TABLE[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 0x100000000) | 0;

export function md5(message: Uint8Array): Uint8Array {
  // Padding: 0x80, zeros to 56 mod 64, then the bit length as a 64-bit little-endian integer.
  const paddedLength = (((message.length + 8) >>> 6) + 1) << 6;
  const padded = new Uint8Array(paddedLength);
  padded.set(message);
  padded[message.length] = 0x80;
  const view = new DataView(padded.buffer);
  const bitLength = message.length * 8;
  view.setUint32(paddedLength - 8, bitLength >>> 0, true);
  view.setUint32(paddedLength - 4, Math.floor(bitLength / 0x100000000), true);

  let a0 = 0x67452301;
  let b0 = 0xefcdab89 | 0;
  let c0 = 0x98badcfe | 0;
  let d0 = 0x10325476;
  const words = new Int32Array(16);
  for (let offset = 0; offset < paddedLength; offset += 64) {
    for (let i = 0; i < 16; i++) words[i] = view.getInt32(offset + i * 4, true);
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    for (let i = 0; i < 64; i++) {
      let mixed: number;
      let wordIndex: number;
      if (i < 16) {
        mixed = (b & c) | (~b & d);
        wordIndex = i;
      } else if (i < 32) {
        mixed = (d & b) | (~d & c);
        wordIndex = (5 * i + 1) & 15;
      } else if (i < 48) {
        mixed = b ^ c ^ d;
        wordIndex = (3 * i + 5) & 15;
      } else {
        mixed = c ^ (b | ~d);
        wordIndex = (7 * i) & 15;
      }
      const sum = (a + mixed + (SINE_TABLE[i] as number) + (words[wordIndex] as number)) | 0;
      const shift = SHIFTS[((i >>> 4) << 2) | (i & 3)] as number;
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << shift) | (sum >>> (32 - shift)))) | 0;
    }
    a0 = (a0 + a) | 0;
    b0 = (b0 + b) | 0;
    c0 = (c0 + c) | 0;
    d0 = (d0 + d) | 0;
  }
  const digest = new Uint8Array(16);
  const out = new DataView(digest.buffer);
  out.setInt32(0, a0, true);
  out.setInt32(4, b0, true);
  out.setInt32(8, c0, true);
  out.setInt32(12, d0, true);
  return digest;
}
