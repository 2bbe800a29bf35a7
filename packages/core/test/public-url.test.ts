/** The public-URL policy as a function: explicit options, environment, trusted proxies, platform URL. */
import { joinBaseUrl, requestPath, resolvePublicUrl, type WebhookRequest } from '@twiml-guard/core';
import { withoutUserInfo } from '../src/public-url.js';

const request = (url: string, extra: Partial<WebhookRequest> = {}): WebhookRequest => ({
  method: 'POST',
  url,
  headers: {},
  body: '',
  ...extra,
});
const NO_ENV = {};

describe('resolvePublicUrl priority', () => {
  const incoming = request('http://10.0.0.1:8080/prod/sms?x=1', {
    headers: { 'x-forwarded-host': 'proxy.example.com', 'x-forwarded-proto': 'https' },
    urlSource: 'requestContext.domainName + path',
  });

  test('url option first', () => {
    expect(
      resolvePublicUrl(
        incoming,
        { url: 'https://a.example/x', baseUrl: 'https://b.example', trustProxy: true },
        { TWILIO_WEBHOOK_URL: 'https://c.example/y' },
      ),
    ).toEqual({
      url: 'https://a.example/x',
      source: 'option url',
    });
  });

  test('url option as a function of the request', () => {
    expect(resolvePublicUrl(incoming, { url: (r) => `https://a.example${requestPath(r)}` }, NO_ENV)).toEqual({
      url: 'https://a.example/prod/sms?x=1',
      source: 'option url (function)',
    });
  });

  test('then TWILIO_WEBHOOK_URL', () => {
    expect(resolvePublicUrl(incoming, { baseUrl: 'https://b.example' }, { TWILIO_WEBHOOK_URL: 'https://c.example/y' })).toEqual({
      url: 'https://c.example/y',
      source: 'env TWILIO_WEBHOOK_URL',
    });
  });

  test('then baseUrl + path and query', () => {
    expect(
      resolvePublicUrl(incoming, { baseUrl: 'https://b.example/base/', trustProxy: true }, { PUBLIC_BASE_URL: 'https://d.example' }),
    ).toEqual({
      url: 'https://b.example/base/prod/sms?x=1',
      source: 'option baseUrl + platform path',
    });
  });

  test('then PUBLIC_BASE_URL', () => {
    expect(resolvePublicUrl(incoming, {}, { PUBLIC_BASE_URL: 'https://d.example' })).toEqual({
      url: 'https://d.example/prod/sms?x=1',
      source: 'env PUBLIC_BASE_URL + platform path',
    });
  });

  test('then forwarded headers, only with trustProxy', () => {
    expect(resolvePublicUrl(incoming, { trustProxy: true }, NO_ENV)).toEqual({
      url: 'https://proxy.example.com/prod/sms?x=1',
      source: 'trustProxy: X-Forwarded-Host/-Proto headers',
    });
    expect(resolvePublicUrl(incoming, {}, NO_ENV)).toEqual({
      url: 'http://10.0.0.1:8080/prod/sms?x=1',
      source: 'requestContext.domainName + path',
    });
  });

  test('trustProxy without forwarded headers: the platform URL', () => {
    expect(resolvePublicUrl(request('https://a.example/x'), { trustProxy: true }, NO_ENV)).toEqual({
      url: 'https://a.example/x',
      source: 'platform request URL',
    });
  });

  test('the adapter path wins over the path of url', () => {
    expect(resolvePublicUrl(request('http://internal/whatever', { path: '/sms?y=2' }), { baseUrl: 'https://b.example' }, NO_ENV).url).toBe(
      'https://b.example/sms?y=2',
    );
  });

  test('Forwarded: quoted host, first hop, default proto https', () => {
    const forwarded = request('http://internal/sms', { headers: { forwarded: 'for=1.1.1.1;host="hooks.example.com:8443", host=second' } });
    expect(resolvePublicUrl(forwarded, { trustProxy: true }, NO_ENV)).toEqual({
      url: 'https://hooks.example.com:8443/sms',
      source: 'trustProxy: Forwarded header',
    });
  });

  test('X-Forwarded-Host with several hops: the first', () => {
    const multi = request('http://internal/sms', {
      headers: { 'x-forwarded-host': 'first.example, second.example', 'x-forwarded-proto': 'https, http' },
    });
    expect(resolvePublicUrl(multi, { trustProxy: true }, NO_ENV).url).toBe('https://first.example/sms');
  });

  test('user:password@ is never part of the resolved URL', () => {
    expect(resolvePublicUrl(incoming, { url: 'https://user:p%40ss@a.example/x' }, NO_ENV)).toEqual({
      url: 'https://a.example/x',
      source: 'option url, user:password@ removed',
    });
    expect(resolvePublicUrl(incoming, { baseUrl: 'https://u:p@b.example' }, NO_ENV).url).toBe('https://b.example/prod/sms?x=1');
  });

  test('no string normalisation: case, quotes and ports survive', () => {
    const url = "HTTPS://Hooks.Example.COM:443/Path/'quoted' x?q=a'b";
    expect(resolvePublicUrl(request(url), {}, NO_ENV).url).toBe(url);
  });
});

describe('helpers', () => {
  test.each([
    ['https://a.example', '/sms', 'https://a.example/sms'],
    ['https://a.example/', '/sms', 'https://a.example/sms'],
    ['https://a.example/base', 'sms', 'https://a.example/base/sms'],
    ['https://a.example/base/', '?q=1', 'https://a.example/base?q=1'],
    ['https://a.example', '', 'https://a.example'],
  ])('joinBaseUrl(%s, %s) = %s', (base, path, expected) => {
    expect(joinBaseUrl(base, path)).toBe(expected);
  });

  test.each([
    ['https://a.example/sms?x=1#f', '/sms?x=1#f'],
    ['https://a.example', ''],
    ['https://a.example?x=1', '?x=1'],
    ['/relative/path', '/relative/path'],
  ])('requestPath(%s) = %s', (url, expected) => {
    expect(requestPath(request(url))).toBe(expected);
  });

  test.each([
    ['https://user:pass@a.example/x', 'https://a.example/x'],
    ['https://user@a.example:8443/x', 'https://a.example:8443/x'],
    ['https://a.example/x?email=a@b.example', 'https://a.example/x?email=a@b.example'],
    ['https://a.example/x', 'https://a.example/x'],
    ['not a url', 'not a url'],
  ])('withoutUserInfo(%s) = %s', (url, expected) => {
    expect(withoutUserInfo(url)).toBe(expected);
  });
});

describe('trustProxy with only X-Forwarded-Proto', () => {
  test('keeps the host and the full path the platform saw, even when the adapter set a base-relative path', () => {
    const incoming = request('http://api.example.com/prod/sms?x=1', { path: '/sms?x=1', headers: { 'x-forwarded-proto': 'https' } });
    expect(resolvePublicUrl(incoming, { trustProxy: true }, NO_ENV)).toEqual({
      url: 'https://api.example.com/prod/sms?x=1',
      source: 'trustProxy: X-Forwarded-Proto header',
    });
  });
  test('a forwarded host still takes the base-relative path', () => {
    const incoming = request('http://api.example.com/prod/sms?x=1', {
      path: '/sms?x=1',
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'hooks.example.com' },
    });
    expect(resolvePublicUrl(incoming, { trustProxy: true }, NO_ENV).url).toBe('https://hooks.example.com/sms?x=1');
  });
});
