/**
 * Runs in every test worker before its test file. `Promise.withResolvers` arrived in Node 22;
 * aws-local-stepfunctions (the local deadline state machine) calls it, and Node 20 is supported.
 */
const promiseConstructor: PromiseConstructor & { withResolvers?: unknown } = Promise;

if (typeof promiseConstructor.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      // The executor runs synchronously, so both handles are set before this returns.
      const handles: { resolve?: (value: T | PromiseLike<T>) => void; reject?: (reason?: unknown) => void } = {};
      const promise = new Promise<T>((resolve, reject) => Object.assign(handles, { resolve, reject }));
      return { promise, ...handles };
    },
  });
}
