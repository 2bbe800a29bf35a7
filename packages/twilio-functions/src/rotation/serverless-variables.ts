/**
 * Environment variables of a Twilio Functions (Serverless) environment, through the official client:
 * `/v1/Services/{ZS}/Environments/{ZE}/Variables`. Functions read an updated value on their next
 * execution, without a deploy.
 */
import { optionalPeerMissing } from '@twiml-guard/core';
import { httpStatus, lazyTwilioFactory, type TwilioCredentials } from '@twiml-guard/core/rotation';

/** The environment variables of one Twilio Functions environment, as the rotation reads and writes them; `officialServerlessVariables` implements it. */
export interface ServerlessVariablesApi {
  /** Key → value of every variable in the environment. */
  read(credentials: TwilioCredentials): Promise<Map<string, string>>;
  /** Creates or updates `key`; an empty value removes it. */
  write(credentials: TwilioCredentials, key: string, value: string): Promise<void>;
  /** Creates `key` only if it does not exist (Twilio answers 409 / 54208 otherwise): `false` when it exists. */
  create(credentials: TwilioCredentials, key: string, value: string): Promise<boolean>;
  /**
   * Removes `key` only if it still holds `expected`: deleting by the variable's SID, so a variable that
   * was removed and created again meanwhile (a new SID) is left alone. `false` when it was not removed.
   */
  removeIf(credentials: TwilioCredentials, key: string, expected: string): Promise<boolean>;
}

interface VariableInstance {
  readonly sid: string;
  readonly key: string;
  readonly value: string;
}

interface ServerlessClientLike {
  readonly serverless: {
    readonly v1: {
      services(sid: string): {
        environments(sid: string): {
          variables: ((sid: string) => { update(params: { value: string }): Promise<unknown>; remove(): Promise<boolean> }) & {
            list(params?: { pageSize?: number }): Promise<VariableInstance[]>;
            create(params: { key: string; value: string }): Promise<unknown>;
          };
        };
      };
    };
  };
}

/** Which Functions environment's variables, and how the `twilio` client calls the Serverless API. */
export interface ServerlessVariablesOptions {
  /** The Functions Service (`ZS…`). */
  readonly serviceSid: string;
  /** The Service's environment whose variables hold the token (`ZE…`). */
  readonly environmentSid: string;
  /**
   * Passed to `twilio(accountSid, authToken, options)` (e.g. `httpClient`).
   * @default `{}` (`autoRetry` off)
   */
  readonly clientOptions?: Record<string, unknown>;
  /**
   * An API key (SK…) and secret for these calls instead of the auth token: unaffected by the rotation.
   * @default none: the calls authenticate with the account's primary token at that point of the rotation
   */
  readonly apiKey?: { readonly sid: string; readonly secret: string };
}

/**
 * The variables of a Functions environment through the official `twilio` client
 * (`/v1/Services/{ZS}/Environments/{ZE}/Variables`), loaded on first use.
 * @param options - the Service and Environment SIDs, an API key, client options
 * @returns the variables API the rotation reads and writes through
 * @example
 * ```ts
 * import { officialServerlessVariables } from '@twiml-guard/twilio-functions/rotation';
 *
 * const variables = officialServerlessVariables({ serviceSid: 'ZS…', environmentSid: 'ZE…' });
 * ```
 */
export function officialServerlessVariables(options: ServerlessVariablesOptions): ServerlessVariablesApi {
  const factory = lazyTwilioFactory<ServerlessClientLike>(() => import('twilio').catch(optionalPeerMissing('twilio')));
  const variables = async ({ accountSid, authToken }: TwilioCredentials) => {
    const create = await factory();
    const client = options.apiKey
      ? create(options.apiKey.sid, options.apiKey.secret, { autoRetry: false, ...options.clientOptions, accountSid })
      : create(accountSid, authToken, { autoRetry: false, ...options.clientOptions });
    return client.serverless.v1.services(options.serviceSid).environments(options.environmentSid).variables;
  };
  return {
    async read(credentials) {
      const list = await (await variables(credentials)).list({ pageSize: 100 });
      return new Map(list.map((variable) => [variable.key, variable.value]));
    },
    async write(credentials, key, value) {
      const api = await variables(credentials);
      const existing = (await api.list({ pageSize: 100 })).find((variable) => variable.key === key);
      if (value === '') {
        if (existing) await api(existing.sid).remove();
      } else if (existing) {
        if (existing.value !== value) await api(existing.sid).update({ value });
      } else {
        await api.create({ key, value });
      }
    },
    async create(credentials, key, value) {
      try {
        await (await variables(credentials)).create({ key, value });
        return true;
      } catch (error) {
        if (httpStatus(error) === 409) return false;
        throw error;
      }
    },
    async removeIf(credentials, key, expected) {
      const api = await variables(credentials);
      const existing = (await api.list({ pageSize: 100 })).find((variable) => variable.key === key);
      if (!existing || existing.value !== expected) return false;
      try {
        return await api(existing.sid).remove();
      } catch (error) {
        if (httpStatus(error) === 404) return false;
        throw error;
      }
    },
  };
}
