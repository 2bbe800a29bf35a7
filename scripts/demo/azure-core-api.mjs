/**
 * What the Azure Functions Node.js worker gives `@azure/functions` as the virtual module
 * `@azure/functions-core`: the library registers its programming model and every `app.http(...)`
 * function through it. The worker installs it by intercepting `require`; so do we, before the
 * function app is loaded. Only what the library calls is implemented.
 */
import Module from 'node:module';

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
  #dispose;
  constructor(dispose) {
    this.#dispose = dispose;
  }
  static from(...items) {
    return new Disposable(() => items.forEach((item) => item?.dispose?.()));
  }
  dispose() {
    this.#dispose?.();
    this.#dispose = undefined;
  }
}

/**
 * @param {(level: string, category: string, message: string) => void} log
 * @returns {{ api: object, registrations: { metadata: any, callback: Function }[], programmingModel: () => any }}
 */
export function createCoreApi(log) {
  const registrations = [];
  let programmingModel;
  const api = {
    version: '3.10.1',
    get hostVersion() {
      return '4.1040.0';
    },
    Disposable,
    setProgrammingModel(model) {
      programmingModel = model;
    },
    getProgrammingModel() {
      return programmingModel;
    },
    registerFunction(metadata, callback) {
      registrations.push({ metadata, callback });
      return new Disposable(() => registrations.splice(registrations.findIndex((r) => r.metadata === metadata), 1));
    },
    // Hooks run in the real worker around invocations; the demo app registers none.
    registerHook() {
      return new Disposable(() => undefined);
    },
    log,
  };
  return { api, registrations, programmingModel: () => programmingModel };
}

/** `require('@azure/functions-core')` returns `api` from now on, as in the worker process. */
export function installCoreModule(api) {
  const originalLoad = Module._load;
  Module._load = function loadWithCoreApi(request, parent, isMain) {
    if (request === '@azure/functions-core') return api;
    return originalLoad.call(this, request, parent, isMain);
  };
}
