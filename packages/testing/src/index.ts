// Sign like Twilio.
export { signTwilioRequest, mergeHeaders, TWILIO_USER_AGENT, FORM_CONTENT_TYPE, JSON_CONTENT_TYPE } from './sign-request.js';
export type { SignTwilioRequestOptions, SignedTwilioRequest, WebhookMethod } from './sign-request.js';
export { encodeFormBody, encodeFormComponent, signedParams } from './form-encoding.js';
export type { ParamValue, WebhookParams } from './form-encoding.js';
export { splitUrlCredentials, appendQuery, requestTarget } from './url-parts.js';
export type { UrlCredentials, UrlWithoutCredentials } from './url-parts.js';

// The webhook simulator and Twilio's auth dance.
export { sendTwilioWebhook, basicAuthorization } from './send-webhook.js';
export type { SendTwilioWebhookOptions, TwilioWebhookResult } from './send-webhook.js';
export { digestAuthorization, toDigestChallenge, digestAlgorithm } from './digest-auth.js';
export type { DigestChallenge, DigestAlgorithm, DigestHash, DigestQop, DigestResponseInput, DigestAuthorization } from './digest-auth.js';
export { parseWwwAuthenticate } from './www-authenticate.js';
export type { AuthChallenge } from './www-authenticate.js';

// Payloads.
export {
  PRESET_NAMES,
  isPresetName,
  presetPayload,
  presetRequestBody,
  smsPreset,
  mmsPreset,
  callPreset,
  gatherPreset,
  messageStatusPreset,
  callStatusPreset,
  studioJsonPreset,
} from './presets.js';
export type { PresetName, PresetPayload, FormOverrides } from './presets.js';
export { DEFAULT_ACCOUNT_SID, fakeSid, isSid } from './fake-sids.js';

// Diagnosing captured requests.
export { diagnoseRequest, formatDiagnosis } from './diagnose.js';
export type { CapturedRequest, DiagnoseOptions, Diagnosis, SignatureMatch, NearMissMatch, SignedPayloadMode } from './diagnose.js';
export { nearMissCandidates, DEFAULT_PATH_PREFIXES } from './near-miss.js';
export type { NearMissCandidate } from './near-miss.js';

// Scaffolding projects from templates.
