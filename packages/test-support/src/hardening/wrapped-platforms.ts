/**
 * The second request path every adapter has: `withTwilioSignature(existingHandler)`, which guards a
 * platform handler the user already wrote and passes it the original request untouched. Same
 * platforms, same wire requests as `platforms.ts`; only the entry point differs.
 */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import * as functions from '@google-cloud/functions-framework';
import {
  twilioSignature as middyMiddleware,
  withTwilioSignature as lambdaWithSignature,
  type TwilioSignatureContext,
} from '@twiml-guard/aws-lambda';
import { withTwilioSignature as azureWithSignature } from '@twiml-guard/azure-functions';
import type { TwilioWebhookEvent } from '@twiml-guard/core';
import { withTwilioSignature as fetchWithSignature } from '@twiml-guard/fetch';
import { withTwilioSignature as gcpWithSignature } from '@twiml-guard/gcp-functions';
import { PlainRuntimeResponse, withTwilioSignature as runtimeWithSignature } from '@twiml-guard/twilio-functions';
import {
  asDelivered,
  azureContext,
  azureRequest,
  fetchRequest,
  lambdaEvent,
  lambdaResultOf,
  lowerCased,
  platformNamed,
  runtimeInvocation,
  servedPerRequest,
  type AnyHandler,
  type LambdaShape,
  type Platform,
} from './platforms.js';

const TWIML = 'text/xml; charset=utf-8';

/** The existing handler knows nothing of the guard: it gets no verified event, only the platform's request. */
async function runExisting(handler: AnyHandler, method: string): Promise<string> {
  const unverified = { params: {}, url: '', method, headers: {}, body: '' } satisfies TwilioWebhookEvent;
  return String((await handler(unverified)) ?? '<Response/>');
}

function wrappedLambda(shape: LambdaShape): Platform {
  const base = platformNamed(`aws-lambda ${shape}`);
  return {
    ...base,
    name: `${base.name} withTwilioSignature`,
    deploy: (handler, options) => {
      const lambda = lambdaWithSignature(
        async (event: { httpMethod?: string; requestContext?: { http?: { method?: string } } }, _context: { awsRequestId?: string }) => ({
          statusCode: 200,
          headers: { 'content-type': TWIML },
          body: await runExisting(handler, event.httpMethod ?? event.requestContext?.http?.method ?? 'POST'),
        }),
        options,
      );
      return async (request) =>
        lambdaResultOf(
          (await lambda(asDelivered(lambdaEvent(shape, request)), { awsRequestId: 'test' })) as Parameters<typeof lambdaResultOf>[0],
        );
    },
  };
}

/**
 * The Middy middleware's `before`, called as @middy/core calls it (the real middy runs in
 * packages/aws-lambda/test/middy.test.ts): a returned result ends the chain, else the handler runs
 * and gets the verified event on `context.twilio`.
 */
function middyLambda(shape: LambdaShape): Platform {
  const base = platformNamed(`aws-lambda ${shape}`);
  return {
    ...base,
    name: `${base.name} middy`,
    deploy: (handler, options) => {
      const middleware = middyMiddleware(options);
      return async (request) => {
        const middyRequest = { event: asDelivered(lambdaEvent(shape, request)), context: { awsRequestId: 'test' } as object };
        const early = await middleware.before(middyRequest);
        if (early) return lambdaResultOf(early as Parameters<typeof lambdaResultOf>[0]);
        const verified = (middyRequest.context as Partial<TwilioSignatureContext>).twilio;
        if (!verified) throw new Error('before() neither answered nor set context.twilio');
        return lambdaResultOf({
          statusCode: 200,
          headers: { 'content-type': TWIML },
          body: String((await handler(verified)) ?? '<Response/>'),
        });
      };
    },
  };
}

const azure = platformNamed('azure-functions');
const wrappedAzure: Platform = {
  ...azure,
  name: 'azure-functions withTwilioSignature',
  deploy: (handler, options) => {
    const wrapped = azureWithSignature(async (request: HttpRequest): Promise<HttpResponseInit> => {
      // The original request reaches the handler with its body unread.
      await request.arrayBuffer();
      return { status: 200, headers: { 'content-type': TWIML }, body: await runExisting(handler, request.method) };
    }, options);
    return async (request) => {
      const response = await wrapped(azureRequest(request), azureContext());
      const headers = lowerCased((response.headers ?? {}) as Record<string, string>);
      return { status: response.status ?? 200, body: String(response.body ?? ''), contentType: headers['content-type'], headers };
    };
  },
};

let gcpFunctions = 0;
const gcp = platformNamed('gcp-functions (gen2, Functions Framework)');
const wrappedGcp: Platform = {
  ...gcp,
  name: 'gcp-functions withTwilioSignature',
  deploy: (handler, options) => {
    const name = `hardeningWrapped${gcpFunctions++}`;
    functions.http(
      name,
      gcpWithSignature(async (req, res) => {
        const body = await runExisting(handler, req.method);
        res.statusCode = 200;
        res.setHeader('content-type', TWIML);
        res.end(body);
      }, options),
    );
    return servedPerRequest(name);
  },
};

const runtime = platformNamed('twilio-functions');
const wrappedRuntime: Platform = {
  ...runtime,
  name: 'twilio-functions withTwilioSignature',
  deploy: (handler, options) => {
    const wrapped = runtimeWithSignature(async (_context, _event, callback) => {
      const response = new PlainRuntimeResponse()
        .setStatusCode(200)
        .appendHeader('content-type', TWIML)
        .setBody(await runExisting(handler, 'POST'));
      callback(null, response);
    }, options);
    return async (request) => {
      const { context, event } = runtimeInvocation(request);
      const response = await new Promise<PlainRuntimeResponse>((resolve) => {
        void wrapped(context, event, (_error, result) => resolve(result as PlainRuntimeResponse));
      });
      const headers = lowerCased(response.headers);
      return { status: response.statusCode, body: response.body ?? '', contentType: headers['content-type'], headers };
    };
  },
};

const web = platformNamed('fetch');
const wrappedFetch: Platform = {
  ...web,
  name: 'fetch withTwilioSignature',
  deploy: (handler, options) => {
    const wrapped = fetchWithSignature(async (request: Request) => {
      // The original request reaches the handler with its body unread.
      await request.arrayBuffer();
      return new Response(await runExisting(handler, request.method), { status: 200, headers: { 'content-type': TWIML } });
    }, options);
    return async (request) => {
      const response = await wrapped(fetchRequest(request));
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name] = value;
      });
      return { status: response.status, body: await response.text(), contentType: headers['content-type'], headers };
    };
  },
};

export const WRAPPED_PLATFORMS: readonly Platform[] = [
  wrappedLambda('http-v2'),
  wrappedLambda('rest-v1'),
  wrappedLambda('alb-multi'),
  wrappedAzure,
  wrappedGcp,
  wrappedRuntime,
  wrappedFetch,
];

/** The Middy middleware, on a payload 2.0 and a multi-value (REST) event. */
export const MIDDY_PLATFORMS: readonly Platform[] = [middyLambda('http-v2'), middyLambda('rest-v1')];
