/**
 * What every adapter's `translate` produces, on every platform: the request to verify, an event a
 * platform gateway already verified, or why the platform request cannot be verified (refused).
 */
import type { TwilioWebhookEvent, WebhookRequest } from '../types.js';

/** The platform request as the core verifies it. */
export interface TranslatedRequest {
  readonly ok: true;
  readonly request: WebhookRequest;
}

/**
 * The platform checked the signature itself (a Protected Twilio Function behind Twilio's gateway):
 * the handler runs on this event without the core's check.
 */
export interface PreverifiedEvent {
  readonly ok: true;
  readonly verified: TwilioWebhookEvent;
}

/** A request that cannot be verified: refused with `status` and `phrase`, logged with `reason` and `details`. */
export interface TranslationFailure {
  readonly ok: false;
  /** Why, for the log line (`rejected webhook: <reason>`); never sent to the caller. */
  readonly reason: string;
  /** Default 400. */
  readonly status?: number;
  /** The response body. Default: the status' reason phrase (`Bad Request` for 400). */
  readonly phrase?: string;
  /** Fields added to the log line (`method`, `eventSource`...). */
  readonly details?: Readonly<Record<string, unknown>>;
  /** Default `warn`, `error` from 500 up. */
  readonly level?: 'warn' | 'error';
}

/** One result type for every adapter; `Extra` carries what the adapter's `write` needs besides the response (AWS: the event source). */
export type Translation<Extra extends object = object> = (TranslatedRequest | PreverifiedEvent | TranslationFailure) & Extra;
