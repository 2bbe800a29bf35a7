// An API Gateway HTTP API (payload 2.0, $default stage) event carrying the signed SMS webhook, as AWS sends it.
import { FORM_CONTENT_TYPE, SMS_FORM, signature } from './webhook-fixture.mjs';

export const EXECUTE_API_HOST = 'abc123defg.execute-api.us-east-1.amazonaws.com';

/** @param {{ token?: string }} [options] the token that signs it (the fixture's by default) */
export function httpApiEvent({ token } = {}) {
  const url = `https://${EXECUTE_API_HOST}/sms`;
  return {
    version: '2.0',
    routeKey: 'POST /sms',
    rawPath: '/sms',
    rawQueryString: '',
    headers: {
      'content-type': FORM_CONTENT_TYPE,
      host: EXECUTE_API_HOST,
      'x-forwarded-proto': 'https',
      'x-forwarded-port': '443',
      'x-twilio-signature': signature(url, token),
    },
    requestContext: {
      apiId: 'abc123defg',
      domainName: EXECUTE_API_HOST,
      http: { method: 'POST', path: '/sms', protocol: 'HTTP/1.1', sourceIp: '54.172.60.1' },
      routeKey: 'POST /sms',
      stage: '$default',
    },
    body: Buffer.from(SMS_FORM).toString('base64'),
    isBase64Encoded: true,
  };
}
