/**
 * What rotation needs from Twilio's Accounts API, as an interface so the protocol does not depend on
 * the `twilio` package: `officialTwilioAuthTokens` implements it with the official client
 * (`twilioClientAuthTokens` below adapts one); tests point that client at a local fake.
 */

/** The account and the token a call authenticates with. The token changes during a rotation. */
export interface TwilioCredentials {
  readonly accountSid: string;
  readonly authToken: string;
}

/**
 * Twilio's auth-token API, as the rotation protocol calls it. Every call authenticates with the
 * credentials it is given (the token changes during a rotation). `officialTwilioAuthTokens()` is the
 * implementation on the official `twilio` client; tests and other HTTP clients bring their own.
 */
export interface TwilioAuthTokensApi {
  /** `POST accounts.twilio.com/v1/AuthTokens/Secondary`: a new secondary token (authenticates REST calls, does not sign). */
  createSecondary(credentials: TwilioCredentials): Promise<string>;
  /** `POST …/v1/AuthTokens/Promote`: the secondary becomes primary (and signs); the old primary is deleted. Returns the new primary. */
  promote(credentials: TwilioCredentials): Promise<string>;
  /** `DELETE …/v1/AuthTokens/Secondary`. `false` when there was none. */
  deleteSecondary(credentials: TwilioCredentials): Promise<boolean>;
  /** Whether Twilio accepts these credentials (a cheap authenticated read). `false` only on 401/403; other failures throw. */
  authenticates(credentials: TwilioCredentials): Promise<boolean>;
}

/** The slice of a `twilio` client (twilio-node ≥ 6.2.0, the first to send `suppressEmailNotification`) used here; `twilio(accountSid, authToken, options)` returns one. */
export interface TwilioRestClientLike {
  /** `accounts.twilio.com`: the secondary token and its promotion. */
  readonly accounts: {
    readonly v1: {
      secondaryAuthToken(): {
        create(params?: { suppressEmailNotification?: boolean }): Promise<{ secondaryAuthToken?: string | null }>;
        remove(params?: { suppressEmailNotification?: boolean }): Promise<boolean>;
      };
      authTokenPromotion(): { update(params?: { suppressEmailNotification?: boolean }): Promise<{ authToken?: string | null }> };
    };
  };
  /** `api.twilio.com/2010-04-01`: the account read that checks credentials. */
  readonly api: { readonly v2010: { accounts(sid: string): { fetch(): Promise<unknown> } } };
}

/** Options of `twilioClientAuthTokens`. */
export interface TwilioClientAuthTokensOptions {
  /**
   * Twilio e-mails the account's owners on every token change unless this is true. Sent on create,
   * promote and delete.
   * @default false
   */
  readonly suppressEmailNotification?: boolean;
}

/**
 * Adapts a `twilio` client to `TwilioAuthTokensApi`. The client is built per call by `createClient`,
 * because the token differs between calls. A 404 on delete means there was no secondary; a 401 or 403
 * on the account read means the credentials are refused; any other failure is thrown.
 * @param createClient - builds a client for the given credentials, e.g. with `twilio(accountSid, authToken)`
 * @param options - whether Twilio e-mails the account's owners on each change
 * @returns the API the rotation protocol calls Twilio through
 * @example
 * ```ts
 * import twilio from 'twilio';
 * import { twilioClientAuthTokens } from '@twiml-guard/core/rotation';
 *
 * const api = twilioClientAuthTokens(({ accountSid, authToken }) => twilio(accountSid, authToken, { region: 'ie1' }));
 * ```
 */
export function twilioClientAuthTokens(
  createClient: (credentials: TwilioCredentials) => TwilioRestClientLike | Promise<TwilioRestClientLike>,
  options: TwilioClientAuthTokensOptions = {},
): TwilioAuthTokensApi {
  const params = options.suppressEmailNotification ? { suppressEmailNotification: true } : {};
  return {
    async createSecondary(credentials) {
      const client = await createClient(credentials);
      const created = await client.accounts.v1.secondaryAuthToken().create(params);
      if (!created.secondaryAuthToken) throw new Error('Twilio created a secondary auth token but returned no value');
      return created.secondaryAuthToken;
    },
    async promote(credentials) {
      const client = await createClient(credentials);
      const promoted = await client.accounts.v1.authTokenPromotion().update(params);
      if (!promoted.authToken) throw new Error('Twilio promoted the secondary auth token but returned no value');
      return promoted.authToken;
    },
    async deleteSecondary(credentials) {
      const client = await createClient(credentials);
      try {
        await client.accounts.v1.secondaryAuthToken().remove(params);
        return true;
      } catch (error) {
        if (httpStatus(error) === 404) return false;
        throw error;
      }
    },
    async authenticates(credentials) {
      const client = await createClient(credentials);
      try {
        await client.api.v2010.accounts(credentials.accountSid).fetch();
        return true;
      } catch (error) {
        const status = httpStatus(error);
        if (status === 401 || status === 403) return false;
        throw error;
      }
    },
  };
}

/**
 * The HTTP status of a failed Twilio call (twilio-node's `RestException` carries `status`).
 * @param error - whatever a `twilio` client call rejected with
 * @returns the status, or `undefined` when the error carries none (a network failure)
 */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** How the official `twilio` client is built and called: options of `officialTwilioAuthTokens` and of every rotation function. */
export interface TwilioClientOptions {
  /**
   * Passed to `twilio(accountSid, authToken, options)`: `httpClient`, `region`, `edge`, `timeout`, …
   * `autoRetry` is off unless set here (the platform retries a failed rotation).
   * @default `{}`
   */
  readonly clientOptions?: Record<string, unknown>;
  /**
   * Twilio e-mails the account's owners on every token change unless this is true.
   * @default false
   */
  readonly suppressEmailNotification?: boolean;
}

/** `twilio(username, password, options)`, the default export of the `twilio` package. */
export type TwilioClientFactory<Client = TwilioRestClientLike> = (
  username: string,
  password: string,
  options?: Record<string, unknown>,
) => Client;

/**
 * The `twilio` factory from a module loader, loaded once; a failed load is retried on the next call.
 * The loader (`() => import('twilio').catch(optionalPeerMissing('twilio'))`) is the caller's, so the
 * `import('twilio')` a bundler sees sits in the package that declares `twilio` as its optional peer.
 * @param loadTwilio - loads the `twilio` module (its default export, or the module itself, is the factory)
 * @returns a function that resolves to the factory, loading it on the first call
 * @example
 * ```ts
 * import { lazyTwilioFactory } from '@twiml-guard/core/rotation';
 *
 * const factory = lazyTwilioFactory(() => import('twilio'));
 * const client = (await factory())(process.env.TWILIO_ACCOUNT_SID!, process.env.TWILIO_AUTH_TOKEN!);
 * ```
 */
export function lazyTwilioFactory<Client = TwilioRestClientLike>(
  loadTwilio: () => Promise<unknown>,
): () => Promise<TwilioClientFactory<Client>> {
  let factory: Promise<TwilioClientFactory<Client>> | undefined;
  return () =>
    (factory ??= loadTwilio().then((module) => {
      const candidate = module as { default?: unknown };
      const create = typeof candidate.default === 'function' ? candidate.default : module;
      if (typeof create !== 'function') throw new Error('the twilio package did not export its client factory');
      return create as TwilioClientFactory<Client>;
    })).catch((error: unknown) => {
      factory = undefined;
      throw error;
    });
}

/**
 * The official client behind `TwilioAuthTokensApi`, loaded on first use through `loadTwilio`, with
 * `autoRetry` off unless `clientOptions` sets it. `officialTwilioAuthTokens()` is this with the
 * loader of the `twilio` package.
 * @param loadTwilio - loads the `twilio` module
 * @param options - client options and whether Twilio e-mails the account's owners on each change
 * @returns the API the rotation protocol calls Twilio through
 */
export function lazyTwilioAuthTokens(loadTwilio: () => Promise<unknown>, options: TwilioClientOptions = {}): TwilioAuthTokensApi {
  const factory = lazyTwilioFactory(loadTwilio);
  return twilioClientAuthTokens(
    async ({ accountSid, authToken }) => (await factory())(accountSid, authToken, { autoRetry: false, ...options.clientOptions }),
    { suppressEmailNotification: options.suppressEmailNotification ?? false },
  );
}
