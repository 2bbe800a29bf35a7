/**
 * What the Azure Functions Node.js worker gives `@azure/functions` as the virtual module
 * `@azure/functions-core`: the library registers its programming model and every `app.http(...)`
 * function through it. The worker installs it by intercepting `require`; so do we, before the
 * function app is loaded. Only what the library calls is implemented.
 */
import Module from 'node:module';

/**
 * The parts of the worker contract the demo host uses (the worker's `@azure/functions-core` ships no
 * type declarations).
 * @typedef {(level: string, category: string, message: string) => void} LogFunction
 * @typedef {{ type: string, direction?: string, authLevel?: string, route?: string, methods?: string[] }} RpcBinding
 * @typedef {{ name: string, bindings: Record<string, RpcBinding> }} FunctionMetadata
 * @typedef {(...args: unknown[]) => unknown} FunctionCallback
 * @typedef {{ metadata: FunctionMetadata, callback: FunctionCallback }} Registration
 * @typedef {{ bytes?: Uint8Array, string?: string, json?: string }} RpcTypedData
 * @typedef {{ statusCode?: string | number, headers?: Record<string, string>, cookies?: Array<{ name: string, value: string }>, body?: RpcTypedData }} RpcHttpResponse
 * @typedef {{ invocationId: string, state: string, metadata: FunctionMetadata, request: object, log: LogFunction }} CoreInvocationContext
 */

/**
 * @typedef {object} InvocationModel
 * @property {() => Promise<{ context: unknown, inputs: unknown[] }>} getArguments
 * @property {(context: unknown, inputs: unknown[], callback: FunctionCallback) => Promise<unknown>} invokeFunction
 * @property {(context: unknown, result: unknown) => Promise<{ returnValue?: { http?: RpcHttpResponse } }>} getResponse
 */

/**
 * What `@azure/functions` registers through `setProgrammingModel`.
 * @typedef {object} ProgrammingModel
 * @property {(capabilities: Record<string, string>) => Promise<unknown>} getCapabilities
 * @property {(coreContext: CoreInvocationContext) => InvocationModel} getInvocationModel
 */

/** Capabilities the Node.js worker announces to the host; they decide how the host shapes RpcHttp. */
export const WORKER_CAPABILITIES = Object.freeze({
  RpcHttpBodyOnly: 'true',
  RawHttpBodyBytes: 'true',
  IgnoreEmptyValuedRpcHttpHeaders: 'true',
  UseNullableValueDictionaryForHttp: 'true',
  RpcHttpTriggerMetadataRemoved: 'true',
  TypedDataCollection: 'true',
});

class Disposable {
  /** @type {(() => void) | undefined} */
  #dispose;
  /** @param {() => void} dispose */
  constructor(dispose) {
    this.#dispose = dispose;
  }
  /** @param {Array<{ dispose?: () => void } | null | undefined>} items */
  static from(...items) {
    return new Disposable(() =>
      items.forEach((item) => {
        item?.dispose?.();
      }),
    );
  }
  dispose() {
    this.#dispose?.();
    this.#dispose = undefined;
  }
}

/**
 * @param {LogFunction} log
 * @returns {{ api: object, registrations: Registration[], programmingModel: () => ProgrammingModel | undefined }}
 */
export function createCoreApi(log) {
  /** @type {Registration[]} */
  const registrations = [];
  /** @type {ProgrammingModel | undefined} */
  let programmingModel;
  const api = {
    version: '3.10.1',
    get hostVersion() {
      return '4.1040.0';
    },
    Disposable,
    /** @param {ProgrammingModel} model */
    setProgrammingModel(model) {
      programmingModel = model;
    },
    getProgrammingModel() {
      return programmingModel;
    },
    /**
     * @param {FunctionMetadata} metadata
     * @param {FunctionCallback} callback
     */
    registerFunction(metadata, callback) {
      registrations.push({ metadata, callback });
      return new Disposable(() =>
        registrations.splice(
          registrations.findIndex((r) => r.metadata === metadata),
          1,
        ),
      );
    },
    // Hooks run in the real worker around invocations; the demo app registers none.
    registerHook() {
      return new Disposable(() => undefined);
    },
    log,
  };
  return { api, registrations, programmingModel: () => programmingModel };
}

/**
 * `require('@azure/functions-core')` returns `api` from now on, as in the worker process.
 * @param {object} api
 */
export function installCoreModule(api) {
  // `Module._load` is CommonJS's internal loader: public in practice, absent from Node's type declarations.
  const loader = /** @type {{ _load(request: string, parent: unknown, isMain: boolean): unknown }} */ (/** @type {unknown} */ (Module));
  const originalLoad = loader._load;
  loader._load = function loadWithCoreApi(request, parent, isMain) {
    if (request === '@azure/functions-core') return api;
    return originalLoad.call(this, request, parent, isMain);
  };
}
