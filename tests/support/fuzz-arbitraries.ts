import fc from 'fast-check';

/**
 * fast-check generators of hostile input for the ward API: text (Vietnamese in NFC and NFD,
 * control and bidirectional characters, lone surrogates, injections), JSON values (prototype
 * keys, deep nesting, huge numbers, wrong types), values shaped by a route's own JSON Schema
 * (derived from its zod contract) and mutations of them, and raw bodies that are not JSON at all.
 */

/** Vietnamese as citizens type it; each also sent decomposed (NFD), as some keyboards and macOS produce it. */
const VIETNAMESE = [
  'Nguyễn Thị Hoa',
  'Trần Văn Đức',
  'Lê Thị Ánh Tuyết',
  'Phường Hoàn Kiếm, Hà Nội',
  'Đăng ký kết hôn',
  'Chưa kết hôn',
  'Số 12 phố Hàng Bạc',
  'Bổ sung giấy tờ theo yêu cầu',
  'Ư Ơ Đ ư ơ đ ẫ ỹ ẵ',
  'Hộ tịch',
];

const CONTROL = ['\u0000', '\u0001', '\u0007', '\b', '\t', '\n', '\r', '\u000b', '\u000c', '\u001b', '\u007f', '\u0085', '\u009b'];
/** Bidirectional overrides, isolates and marks, zero-width and BOM. */
const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c', '\u200b', '\u200d', '\ufeff'];
const ODD_UNICODE = ['\ud800', '\udfff', '\ud83d\ude00', '\u0301\u0301\u0301', 'ﬀ', 'İ', 'ß', '\u2028', '\u2029', '\uffff', '\ufffd', '𝕳𝖊𝖑𝖑𝖔'];
const INJECTIONS = [
  '<script>alert(1)</script>',
  "' OR '1'='1",
  '${7*7}',
  '{{7*7}}',
  '../../etc/passwd',
  '..\\..\\windows',
  '%00',
  '%2e%2e%2f',
  '\\"',
  'null',
  'undefined',
  'NaN',
  '-Infinity',
  'true',
  '0x41',
  '1e999',
  'Xem tại https://evil.example/pay và gọi 0987654321',
  '=HYPERLINK("http://x")',
];

/** Keys that collide with `Object.prototype` or with the code's own vocabulary. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'isPrototypeOf', 'then'];

export const HUGE_NUMBERS = [0, -0, 1, -1, 2 ** 31, 2 ** 53 + 2, -(2 ** 53) - 2, 1e21, 1e308, -1e308, Number.MAX_VALUE, Number.MIN_VALUE, 5e-324, 0.1, 1.5, 10_485_761];

const nfdOf = (text: string): string => text.normalize('NFD');

/** Adversarial text: Vietnamese (NFC or NFD), control and bidi characters, lone surrogates, injections, long runs, any code points. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...VIETNAMESE) },
  { weight: 3, arbitrary: fc.constantFrom(...VIETNAMESE).map(nfdOf) },
  { weight: 2, arbitrary: fc.constantFrom(...INJECTIONS) },
  {
    weight: 4,
    arbitrary: fc
      .array(fc.oneof(fc.constantFrom(...VIETNAMESE, ...VIETNAMESE.map(nfdOf)), fc.constantFrom(...CONTROL), fc.constantFrom(...BIDI), fc.constantFrom(...ODD_UNICODE)), {
        minLength: 1,
        maxLength: 8,
      })
      .map((parts) => parts.join('')),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '   \t  ', '\u00a0', '\u3000') },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom('a', 'Đ', 'ệ', '0', '\u202e', '\u0000'), fc.constantFrom(101, 201, 301, 2001, 5000, 20_000)).map(([unit, count]) => unit.repeat(count)),
  },
);

/** Any JSON value, with prototype keys and hostile text among its keys and strings. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.constantFrom(...HUGE_NUMBERS),
    fc.double(),
    fc.integer(),
    hostileText,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), hostileText, fc.string({ maxLength: 8 })), tie('value')), { maxLength: 4 }).map(objectOf),
  ),
})).value;

/** A plain object with these entries as own enumerable properties, `__proto__` included (an assignment would set the prototype). */
export function objectOf(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

/** The subset of JSON Schema that z.toJSONSchema writes for the contract. */
export interface JsonSchema {
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly oneOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly pattern?: string;
  readonly example?: unknown;
  readonly default?: unknown;
}

/**
 * Values of real things of the running ward (dossier codes, upload ids, form data…), by the
 * property or parameter name they go in; schema-shaped values use them half the time, so that
 * requests get past validation and into the handlers' logic.
 */
export type KnownValues = Readonly<Record<string, readonly unknown[]>>;

/** Values that satisfy `schema` (mostly: refinements such as a check digit are not in a JSON Schema). */
export function fromSchema(schema: JsonSchema, known: KnownValues, name?: string): fc.Arbitrary<unknown> {
  const knownHere = name === undefined ? undefined : known[name];
  const own = shapeOf(schema, known);
  const withExample = schema.example === undefined ? own : fc.oneof(own, fc.constant(schema.example));
  return knownHere && knownHere.length > 0 ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...knownHere) }, { weight: 1, arbitrary: withExample }) : withExample;
}

function shapeOf(schema: JsonSchema, known: KnownValues): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) return fc.oneof(...alternatives.map((alternative) => fromSchema(alternative, known)));
  switch (schema.type) {
    case 'object': {
      const properties = Object.entries(schema.properties ?? {});
      if (properties.length === 0 && schema.additionalProperties !== false) {
        return fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), hostileJson), { maxLength: 3 }).map(objectOf);
      }
      const required = new Set(schema.required ?? []);
      return fc
        .tuple(
          ...properties.map(([key, property]) => (required.has(key) ? fromSchema(property, known, key) : fc.option(fromSchema(property, known, key), { nil: undefined, freq: 3 }))),
        )
        .map((values) => objectOf(properties.flatMap(([key], index) => (values[index] === undefined ? [] : [[key, values[index]] as const]))));
    }
    case 'array': {
      const items = schema.items ?? {};
      return fc.array(fromSchema(items, known), { minLength: schema.minItems ?? 0, maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 4, 4)) });
    }
    case 'string': {
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      const minLength = schema.minLength ?? 0;
      const maxLength = Math.min(schema.maxLength ?? 60, 60);
      return fc.oneof(fc.string({ minLength, maxLength: Math.max(minLength, maxLength) }), hostileText);
    }
    case 'integer':
      return fc.integer({ min: Math.max(schema.minimum ?? -1e6, Number.MIN_SAFE_INTEGER), max: Math.min(schema.maximum ?? 1e6, Number.MAX_SAFE_INTEGER) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    default:
      return hostileJson;
  }
}

/** One change to a value: the kinds of wrongness a hostile or broken client sends. */
type Mutation = (value: unknown) => unknown;

const deepNesting = fc.tuple(fc.constantFrom(20, 31, 32, 33, 64, 200, 1000), fc.boolean(), hostileJson).map(([depth, arrays, leaf]) => {
  let value = leaf;
  for (let level = 0; level < depth; level += 1) value = arrays ? [value] : objectOf([['a', value]]);
  return value;
});

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // Replace a leaf or a branch by something else: another type, a huge number, hostile text, deep nesting.
  fc.tuple(fc.nat(), fc.oneof(hostileJson, hostileText, fc.constantFrom(...HUGE_NUMBERS), deepNesting)).map(
    ([at, replacement]): Mutation =>
      (value) =>
        replaceAt(value, at, replacement),
  ),
  // Add a prototype key or an unknown key to some object.
  fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), hostileText), hostileJson).map(
    ([at, key, added]): Mutation =>
      (value) =>
        addKeyAt(value, at, key, added),
  ),
  // Every string decomposed (NFD), or with a bidi override or control character inside.
  fc.constant<Mutation>((value) => mapStrings(value, nfdOf)),
  fc.tuple(fc.constantFrom(...BIDI, ...CONTROL)).map(
    ([inserted]): Mutation =>
      (value) =>
        mapStrings(value, (text) => `${text.slice(0, 1)}${inserted}${text.slice(1)}`),
  ),
  // Drop some property.
  fc.nat().map(
    (at): Mutation =>
      (value) =>
        replaceAt(value, at, undefined),
  ),
  // The whole value wrapped, or replaced by an array of it.
  fc.constant<Mutation>((value) => [value]),
);

/** A value with 1–3 mutations applied. */
export const mutated = (base: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.tuple(base, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([value, mutations]) => mutations.reduce((current, apply) => apply(current), value));

/** Nodes of a value in depth-first order (the value itself first). */
function nodesOf(value: unknown): unknown[] {
  const nodes: unknown[] = [];
  const visit = (node: unknown, depth: number) => {
    nodes.push(node);
    if (depth > 40 || typeof node !== 'object' || node === null) return;
    for (const child of Object.values(node)) visit(child, depth + 1);
  };
  visit(value, 0);
  return nodes;
}

function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (typeof value === 'object' && value !== null) return objectOf(Object.entries(value).map(([key, child]) => [key, clone(child)]));
  return value;
}

function replaceAt(value: unknown, at: number, replacement: unknown): unknown {
  const copy = clone(value);
  const containers = nodesOf(copy).filter((node): node is Record<string, unknown> => typeof node === 'object' && node !== null && Object.keys(node).length > 0);
  if (containers.length === 0) return replacement;
  const container = containers[at % containers.length] as Record<string, unknown>;
  const keys = Object.keys(container);
  const key = keys[Math.floor(at / containers.length) % keys.length] as string;
  if (replacement === undefined && !Array.isArray(container)) delete container[key];
  else Object.defineProperty(container, key, { value: replacement, enumerable: true, writable: true, configurable: true });
  return copy;
}

function addKeyAt(value: unknown, at: number, key: string, added: unknown): unknown {
  const copy = clone(value);
  const objects = nodesOf(copy).filter((node): node is Record<string, unknown> => typeof node === 'object' && node !== null && !Array.isArray(node));
  if (objects.length === 0) return objectOf([[key, added]]);
  Object.defineProperty(objects[at % objects.length], key, { value: added, enumerable: true, writable: true, configurable: true });
  return copy;
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (typeof value === 'object' && value !== null) return objectOf(Object.entries(value).map(([key, child]) => [map(key), mapStrings(child, map)]));
  return value;
}

/** Bodies that are no JSON value a serializer would write: broken, oddly encoded, nested past any parser's comfort. */
export const rawBodies: fc.Arbitrary<Buffer> = fc.oneof(
  fc
    .constantFrom(
      '{',
      '}',
      '{"a":',
      '[1,2,',
      '{"a":1,}',
      "{'a':1}",
      'nul',
      'undefined',
      '{"a":1}{"b":2}',
      '{"__proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      '{"a":1e999}',
      '{"size":1e999,"fileName":"a.pdf","contentType":"application/pdf"}',
      '{"a":-1e999}',
      '{"a":123456789012345678901234567890}',
      '{"a":"\\ud800"}',
      '{"a":"\\u0000"}',
      '{"a":1,"a":2}',
      '\ufeff{}',
      '   ',
      '\u0000',
      '<?xml version="1.0"?><a/>',
      '%PDF-1.4\n%%EOF',
    )
    .map((text) => Buffer.from(text, 'utf8')),
  // Not UTF-8.
  fc.constantFrom(Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]), Buffer.from('{"a":"\xe9\xff"}', 'latin1'), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1])),
  // Deeply nested arrays or objects, up to the body limits and beyond.
  fc
    .tuple(fc.constantFrom(100, 1000, 10_000, 30_000, 100_000), fc.boolean())
    .map(([depth, arrays]) => Buffer.from(arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)),
  // Long arrays and strings.
  fc.constantFrom(10_000, 60_000).map((count) => Buffer.from(`[${Array.from({ length: count / 2 }, () => '0').join(',')}]`)),
  fc.constantFrom(65_000, 70_000).map((count) => Buffer.from(JSON.stringify({ fileName: 'a'.repeat(count), contentType: 'application/pdf', size: 1 }))),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
);
