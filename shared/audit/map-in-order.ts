/**
 * Runs `work` on up to `concurrency` items at once and yields the results in the items' order:
 * the next items are read while the consumer handles one, and never more than `concurrency`
 * results wait. A failure is thrown when its turn comes (never left unhandled meanwhile).
 */
export async function* mapInOrder<T, R>(items: Iterable<T> | AsyncIterable<T>, concurrency: number, work: (item: T) => Promise<R>): AsyncGenerator<R> {
  type Settled = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown };
  const window: Promise<Settled>[] = [];
  const start = (item: T): Promise<Settled> =>
    work(item).then(
      (value): Settled => ({ ok: true, value }),
      (error: unknown): Settled => ({ ok: false, error }),
    );
  const next = async (): Promise<R> => {
    const settled = await (window.shift() ?? Promise.reject(new Error('mapInOrder: nothing in flight')));
    if (!settled.ok) throw settled.error;
    return settled.value;
  };
  for await (const item of items) {
    window.push(start(item));
    if (window.length >= Math.max(1, concurrency)) yield await next();
  }
  while (window.length > 0) yield await next();
}
