/**
 * The web build's primitives (crypto/web.ts: WebCrypto, TextEncoder, atob/btoa) against the Node
 * build's (crypto/node.ts: node:crypto, Buffer) on generated input. Node provides the web globals,
 * so both run here; the runtime tests run the web build on workerd, edge-runtime, Deno and Bun.
 */
import fc from 'fast-check';
import * as node from '../src/crypto/node.js';
import * as web from '../src/crypto/web.js';

test('HMAC-SHA1 (signatures): same base64, and the key cache keeps tokens apart', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.string({ maxLength: 80 }), { minLength: 1, maxLength: 3 }),
      fc.string({ unit: 'binary', maxLength: 400 }),
      async (tokens, data) => {
        for (const token of tokens) {
          const expected = node.hmacSha1Base64(token, data) as string;
          expect(await web.hmacSha1Base64(token, data)).toBe(expected);
          expect(await web.hmacSha1Matches(token, data, Buffer.from(expected, 'latin1'))).toBe(true);
          expect(await web.hmacSha1Matches(token, `${data}x`, Buffer.from(expected, 'latin1'))).toBe(false);
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('SHA-256 (bodySHA256, dedupe keys) in hex and base64url, of text and of bytes', async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 500 }), fc.uint8Array({ maxLength: 500 })), async (data) => {
      expect(await web.sha256(data, 'hex')).toBe(node.sha256(data, 'hex'));
      expect(await web.sha256(data, 'base64url')).toBe(node.sha256(data, 'base64url'));
    }),
    { numRuns: 300 },
  );
  const text = 'pässwörd';
  expect(Buffer.from(await web.sha256Bytes(text))).toEqual(Buffer.from(await node.sha256Bytes(text)));
});

test('HMAC-SHA256 (Digest nonces) and MD5 hex (Digest responses)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ maxLength: 100 }), fc.string({ unit: 'binary', maxLength: 200 }), async (key, text) => {
      expect(await web.hmacSha256Base64Url(key, text)).toBe(node.hmacSha256Base64Url(key, text));
      expect(web.md5Hex(text)).toBe(node.md5Hex(text));
    }),
    { numRuns: 300 },
  );
});

test('UTF-8 length (413 checks) and bytes, lone surrogates included', () => {
  fc.assert(
    fc.property(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)), maxLength: 5 }),
      (text, surrogates) => {
        const mixed = text + surrogates + text;
        expect(web.utf8ByteLength(mixed)).toBe(node.utf8ByteLength(mixed));
        expect(Buffer.from(web.utf8Bytes(mixed))).toEqual(Buffer.from(node.utf8Bytes(mixed)));
      },
    ),
    { numRuns: 1000 },
  );
});

test('base64 → UTF-8 (Basic auth credentials), padded or not', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 100 }), (text) => {
      const encoded = Buffer.from(text, 'utf8').toString('base64');
      expect(web.base64ToUtf8(encoded)).toBe(node.base64ToUtf8(encoded));
      expect(web.base64ToUtf8(encoded.replace(/=+$/, ''))).toBe(node.base64ToUtf8(encoded.replace(/=+$/, '')));
    }),
    { numRuns: 1000 },
  );
});

test('constant-time byte compare and random nonces', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), (left, right) => {
      expect(web.timingSafeEqualBytes(left, right)).toBe(node.timingSafeEqualBytes(left, right));
      expect(web.timingSafeEqualBytes(left, Uint8Array.from(left))).toBe(true);
    }),
  );
  const opaque = web.randomBase64Url(12);
  expect(opaque).toMatch(/^[A-Za-z0-9_-]{16}$/);
  expect(web.randomBase64Url(12)).not.toBe(opaque);
});
