// The request every section sends: a 12-parameter inbound SMS, signed by twilio (the oracle) for a URL.
import twilio from 'twilio';

export const AUTH_TOKEN = '0123456789abcdef0123456789abcdef';
export const OTHER_TOKEN = 'fedcba9876543210fedcba9876543210';
export const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';

export const SMS_PARAMS = Object.freeze({
  ToCountry: 'US',
  ToState: 'CA',
  SmsMessageSid: 'SM0123456789abcdef0123456789abcdef',
  NumMedia: '0',
  ToCity: 'SAN FRANCISCO',
  FromZip: '94105',
  SmsSid: 'SM0123456789abcdef0123456789abcdef',
  FromState: 'CA',
  From: '+14155550100',
  Body: "Hello & welcome, it's 100% sure",
  AccountSid: ACCOUNT_SID,
  To: '+14155550199',
});

export const SMS_FORM = new URLSearchParams(SMS_PARAMS).toString();

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=utf-8';

/**
 * @param {string} url
 * @param {string} [token]
 * @param {Record<string, string>} [params]
 */
export function signature(url, token = AUTH_TOKEN, params = SMS_PARAMS) {
  return twilio.getExpectedTwilioSignature(token, url, params);
}

export const silentLogger = Object.freeze({ info() {}, warn() {}, error() {} });
