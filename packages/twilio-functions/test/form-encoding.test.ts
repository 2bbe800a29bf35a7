import fc from 'fast-check';
import { parseFormBody } from '@twiml-guard/core';
import { encodeFormBody, encodeFormComponent } from '@twiml-guard/twilio-functions';

describe('encodeFormBody', () => {
  it('is read back by the core parser as the same parameters, arrays as repeated keys', () => {
    const value = fc.string({ unit: 'grapheme' });
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: 'grapheme', minLength: 1 }), fc.oneof(value, fc.array(value, { minLength: 2, maxLength: 4 }))),
        (params) => {
          expect({ ...parseFormBody(encodeFormBody(params)) }).toEqual(params);
        },
      ),
    );
  });

  it('encodes the characters a form body gives meaning to', () => {
    expect(encodeFormComponent("a+b c&d=e%f'g")).toBe('a%2Bb+c%26d%3De%25f%27g');
    expect(encodeFormComponent('é😀')).toBe('%C3%A9%F0%9F%98%80');
    expect(encodeFormBody({ MediaUrl0: 'x', To: ['1', '2'] })).toBe('MediaUrl0=x&To=1&To=2');
  });

  it('never throws on a lone surrogate', () => {
    expect(encodeFormComponent('\ud800')).toBe('%EF%BF%BD');
  });
});
