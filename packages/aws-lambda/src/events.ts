/**
 * The Lambda event and result shapes this adapter reads and writes. Structural (no `@types/aws-lambda`
 * dependency for users); the events of `@types/aws-lambda` are assignable to them.
 */

/** Single-value headers as Lambda events carry them. */
export type HeaderMap = Record<string, string | undefined>;
/** Multi-value headers (`multiValueHeaders`): every value of a repeated header. */
export type MultiValueHeaderMap = Record<string, string[] | undefined>;
/** Single-value query parameters, decoded by API Gateway. */
export type QueryMap = Record<string, string | undefined>;
/** Multi-value query parameters: every value of a repeated key. */
export type MultiValueQueryMap = Record<string, string[] | undefined>;

/** API Gateway REST API proxy event (payload 1.0), and payload 1.0 on an HTTP API (which adds `version: "1.0"`). */
export interface ApiGatewayV1Event {
  readonly version?: string;
  readonly httpMethod: string;
  readonly path: string;
  /** Undocumented; reported on REST events behind a custom-domain base path mapping. */
  readonly rawPath?: string;
  readonly resource?: string;
  readonly headers?: HeaderMap | null;
  readonly multiValueHeaders?: MultiValueHeaderMap | null;
  readonly queryStringParameters?: QueryMap | null;
  readonly multiValueQueryStringParameters?: MultiValueQueryMap | null;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
  readonly requestContext: {
    readonly domainName?: string;
    readonly path?: string;
    readonly stage?: string;
    readonly customDomain?: { readonly basePathMatched?: string };
    readonly [field: string]: unknown;
  };
  readonly [field: string]: unknown;
}

/** HTTP API payload 2.0; Lambda Function URLs send the same shape. */
export interface ApiGatewayV2Event {
  readonly version?: string;
  readonly rawPath: string;
  readonly rawQueryString?: string;
  readonly headers?: HeaderMap;
  readonly cookies?: string[];
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly requestContext: {
    readonly domainName?: string;
    readonly stage?: string;
    readonly http: { readonly method: string; readonly path?: string };
    readonly [field: string]: unknown;
  };
  readonly [field: string]: unknown;
}

/** Application Load Balancer → Lambda target; single- or multi-value per the target group setting. */
export interface AlbEvent {
  readonly httpMethod: string;
  readonly path: string;
  readonly headers?: HeaderMap;
  readonly multiValueHeaders?: MultiValueHeaderMap;
  readonly queryStringParameters?: QueryMap;
  readonly multiValueQueryStringParameters?: MultiValueQueryMap;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
  readonly requestContext: { readonly elb: { readonly targetGroupArn?: string } };
  readonly [field: string]: unknown;
}

/** Every HTTP event this adapter translates: API Gateway REST and HTTP API (both payloads), Function URLs, ALB. */
export type LambdaHttpEvent = ApiGatewayV1Event | ApiGatewayV2Event | AlbEvent;

/** API Gateway (REST and HTTP API payload 1.0) proxy result. */
export interface ApiGatewayV1Result {
  statusCode: number;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body: string;
  isBase64Encoded?: boolean;
}

/** HTTP API payload 2.0 / Function URL result (structured form). */
export interface ApiGatewayV2Result {
  statusCode: number;
  headers?: Record<string, string>;
  body: string;
  isBase64Encoded?: boolean;
  cookies?: string[];
}

/** Application Load Balancer target result (`statusDescription` is required there). */
export interface AlbResult {
  statusCode: number;
  statusDescription: string;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body: string;
  isBase64Encoded: boolean;
}

/** Any of the HTTP results Lambda's HTTP sources accept. */
export type LambdaHttpResult = ApiGatewayV1Result | ApiGatewayV2Result | AlbResult;

/**
 * What the adapter's handlers return: one shape that API Gateway (both payloads), Function URLs and
 * the ALB all accept, so a handler fits `APIGatewayProxyHandler`, `APIGatewayProxyHandlerV2` and
 * `ALBHandler` of `@types/aws-lambda` alike. `statusDescription` is set for the ALB only.
 */
export interface LambdaWebhookResult {
  statusCode: number;
  statusDescription?: string;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body: string;
  isBase64Encoded: boolean;
}

/**
 * What Lambda passes as the second argument. No index signature: `@types/aws-lambda`'s `Context`
 * (an interface) must be assignable to it, or handlers would not fit its handler types.
 */
export interface LambdaContext {
  readonly awsRequestId?: string;
  readonly functionName?: string;
  readonly functionVersion?: string;
  readonly invokedFunctionArn?: string;
  readonly memoryLimitInMB?: string;
  readonly logGroupName?: string;
  readonly logStreamName?: string;
  getRemainingTimeInMillis?(): number;
}
