/**
 * `Promise.withResolvers` arrived in Node 22; aws-local-stepfunctions 3 (the local deadline state
 * machine) calls it, and local mode and the tests support Node 20.
 */
export function installPromiseWithResolvers(): void {
  const promiseConstructor: PromiseConstructor & { withResolvers?: unknown } = Promise;
  if (typeof promiseConstructor.withResolvers === 'function') return;
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
