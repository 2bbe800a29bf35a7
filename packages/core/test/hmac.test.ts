/**
 * The signer builds HMAC-SHA1 from two one-shot hashes (RFC 2104) for speed. Held here to Node's
 * createHmac on the edges of that shortcut: key lengths around the 64-byte block, non-ASCII and
 * empty keys, empty and non-ASCII messages, and the same key reused (its padded form is memoised).
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { signString } from '../src/signature.js';

const reference = (key: string, data: string) => createHmac('sha1', key).update(data, 'utf8').digest('base64');

test('every key length from 0 to 130 bytes, ASCII and not', () => {
  for (let length = 0; length <= 130; length++) {
    for (const key of ['k'.repeat(length), 'é'.repeat(Math.ceil(length / 2)), `${'\u007f'.repeat(length)}`]) {
      expect(signString(key, 'https://example.com/x?y=1', 'Body😀')).toBe(reference(key, 'https://example.com/x?y=1Body😀'));
      expect(signString(key, '', '')).toBe(reference(key, ''));
    }
  }
});

test('generated keys and messages, each key used several times (memoised padding)', () => {
  fc.assert(
    fc.property(
      fc.string({ maxLength: 80 }),
      fc.array(fc.string({ unit: 'binary', maxLength: 300 }), { minLength: 1, maxLength: 4 }),
      (key, messages) => {
        for (const message of messages) expect(signString(key, message, '')).toBe(reference(key, message));
      },
    ),
    { numRuns: 2000 },
  );
});
