/**
 * DynamoDB capacity as AWS bills it (on-demand request units).
 *
 * Item size: the UTF-8 length of every attribute name plus the size of its value
 * (string: UTF-8 length; number: about 1 byte per 2 significant digits plus 1;
 * binary: byte length; boolean and null: 1 byte; list and map: 3 bytes plus their
 * elements, a map's element names counted too; sets: the sum of their elements).
 * Write: 1 unit per started 1 KB of the item written, per index entry written too,
 * twice in a transaction. Read: 1 unit per started 4 KB strongly consistent, half
 * eventually consistent, twice in a transaction; a Query or Scan sums the sizes of
 * the items it reads before rounding up.
 */
export type AttributeValueLike = unknown;

const utf8 = (text: string): number => Buffer.byteLength(text, 'utf8');

function numberSize(value: number | bigint | string): number {
  const digits = String(value).replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/** The billed size of one attribute value (a plain JavaScript value as the document client takes it). */
export function valueSize(value: AttributeValueLike): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number' || typeof value === 'bigint') return numberSize(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce<number>((sum, element) => sum + valueSize(element), 0);
  if (Array.isArray(value)) return 3 + value.reduce<number>((sum, element) => sum + 1 + valueSize(element), 0);
  if (typeof value === 'object') {
    return 3 + Object.entries(value).reduce((sum, [name, element]) => sum + utf8(name) + 1 + valueSize(element), 0);
  }
  throw new TypeError(`no DynamoDB size for a ${typeof value}`);
}

/** The billed size of an item: attribute names plus values. */
export function itemSize(item: Record<string, AttributeValueLike>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueSize(value), 0);
}

const KB = 1024;

/** Write units for writing one item of this size, counting each index entry written and transactions. */
export function writeUnits(size: number, options: { indexWrites?: number; transactional?: boolean } = {}): number {
  const units = Math.max(1, Math.ceil(size / KB)) * (1 + (options.indexWrites ?? 0));
  return options.transactional ? units * 2 : units;
}

/** Read units for reading items of these sizes in one request (GetItem: one size; Query: all of them). */
export function readUnits(sizes: readonly number[], options: { consistent?: boolean; transactional?: boolean } = {}): number {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const units = Math.max(1, Math.ceil(total / (4 * KB)));
  if (options.transactional) return units * 2;
  return options.consistent ? units : units / 2;
}
