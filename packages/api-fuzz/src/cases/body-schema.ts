import fc from 'fast-check';
import type { Json } from '../openapi/minimal-instance.js';
import { bodyRefusal, isDefectiveBody } from './body-check.js';
import type { CaseContext, Category, Draft } from './fuzz-case.js';
import { getAt, nodesOf, type Pointer, setAt, spliceRaw, typeOfJson } from './json-splice.js';

// Body defects that keep the bytes JSON (or nearly): each changes the operation's valid base
// body at one node. A change the document still accepts is not a defect and is skipped.

function hasBody(ctx: CaseContext): boolean {
  return ctx.op.body !== undefined && ctx.base.body !== undefined;
}

function baseBody(ctx: CaseContext): Json {
  return ctx.base.body ?? null;
}

function pointerText(at: Pointer): string {
  return at.length === 0 ? '(root)' : `/${at.join('/')}`;
}

/** A draft for `bytes` if they are a defect the operation must refuse, else undefined. */
function draftFor(ctx: CaseContext, bytes: Buffer, defect: string): Draft | undefined {
  if (!isDefectiveBody(ctx, bytes)) {
    return undefined;
  }
  return { defect, body: bytes, expect: bodyRefusal(ctx, bytes) };
}

function pick<T>(items: readonly T[], n: number): T | undefined {
  return items.length === 0 ? undefined : items[n % items.length];
}

const OTHER_TYPE_VALUES: Json[] = ['x', '', 0, -1, 1.5, true, false, null, [], [1], {}, { a: 1 }];

const wrongType: Category = {
  name: 'body.wrong-type',
  applies: hasBody,
  drafts: (ctx) =>
    fc.tuple(fc.nat(), fc.nat()).map(([n, v]) => () => {
      const base = baseBody(ctx);
      const at = pick(nodesOf(base), n) ?? [];
      const current = typeOfJson(getAt(base, at));
      const value = pick(
        OTHER_TYPE_VALUES.filter((x) => typeOfJson(x) !== current),
        v,
      );
      const next = setAt(base, at, value ?? null) ?? null;
      const defect = `${pointerText(at)}: ${current} → ${JSON.stringify(value)}`;
      return draftFor(ctx, Buffer.from(JSON.stringify(next)), defect);
    }),
};

const missingRequired: Category = {
  name: 'body.missing-required',
  applies: hasBody,
  drafts: (ctx) =>
    fc.nat().map((n) => () => {
      const base = baseBody(ctx);
      const props = nodesOf(base).filter((p) => typeof p[p.length - 1] === 'string');
      const at = pick(props, n);
      if (at === undefined) {
        return undefined;
      }
      const next = setAt(base, at, undefined) ?? null;
      return draftFor(ctx, Buffer.from(JSON.stringify(next)), `${pointerText(at)} removed`);
    }),
};

function objectNodes(base: Json): Pointer[] {
  return nodesOf(base).filter((p) => {
    const node = getAt(base, p);
    return typeof node === 'object' && node !== null && !Array.isArray(node);
  });
}

const EXTRA_KEYS = fc.oneof(
  fc.constantFrom(
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'valueOf',
    '',
    ' ',
    '$ref',
    'caf\u00e9',
    '\u0000',
    'unknown_field',
  ),
  fc.stringMatching(/^[a-z_]{1,16}$/),
);

const extraProperty: Category = {
  name: 'body.extra-property',
  applies: hasBody,
  drafts: (ctx) =>
    fc
      .tuple(fc.nat(), EXTRA_KEYS, fc.constantFrom<Json>(1, 'x', null, {}, [], true))
      .map(([n, key, value]) => () => {
        const base = baseBody(ctx);
        const at = pick(objectNodes(base), n);
        if (at === undefined || getAt(base, [...at, key]) !== undefined) {
          return undefined;
        }
        const next = setAt(base, [...at, key], value) ?? null;
        const defect = `${pointerText(at)}: extra ${JSON.stringify(key)}: ${JSON.stringify(value)}`;
        return draftFor(ctx, Buffer.from(JSON.stringify(next)), defect);
      }),
};

const POISON = [
  '"__proto__":{"polluted":true}',
  '"__proto__":{}',
  '"__proto__":null',
  '"__proto__":[1]',
  '"constructor":{"prototype":{"polluted":true}}',
];

const protoKey: Category = {
  name: 'body.proto-key',
  applies: hasBody,
  drafts: (ctx) =>
    fc.tuple(fc.nat(), fc.constantFrom(...POISON)).map(([n, member]) => () => {
      const base = baseBody(ctx);
      const at = pick(objectNodes(base), n) ?? [];
      const node = getAt(base, at) as Record<string, Json>;
      // The poisoning member goes in as raw text: built as an object, `__proto__` would set
      // the prototype instead of adding a key.
      const inner = JSON.stringify(node).slice(1, -1);
      const raw = Buffer.from(`{${member}${inner === '' ? '' : `,${inner}`}}`);
      return draftFor(ctx, spliceRaw(base, at, raw), `${pointerText(at)}: ${member}`);
    }),
};

const deepNesting: Category = {
  name: 'body.deep-nesting',
  applies: hasBody,
  drafts: (ctx) =>
    fc
      .tuple(fc.nat(), fc.constantFrom(64, 1000, 10_000, 100_000), fc.boolean())
      .map(([n, depth, arrays]) => () => {
        const base = baseBody(ctx);
        const at = pick(nodesOf(base), n) ?? [];
        const raw = arrays
          ? `${'['.repeat(depth)}${']'.repeat(depth)}`
          : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
        const defect = `${pointerText(at)}: ${arrays ? 'arrays' : 'objects'} nested ${depth} deep`;
        return draftFor(ctx, spliceRaw(base, at, Buffer.from(raw)), defect);
      }),
};

const hugeString: Category = {
  name: 'body.huge-string',
  applies: hasBody,
  drafts: (ctx) =>
    fc
      .tuple(
        fc.nat(),
        fc.constantFrom(1_000, 70_000, 100_001, 200_000, 400_000),
        fc.constantFrom('a', '\u00e9', '\u{1F600}', ' '),
      )
      .map(([n, length, unit]) => () => {
        const base = baseBody(ctx);
        const at = pick(nodesOf(base), n) ?? [];
        const next = setAt(base, at, unit.repeat(length)) ?? null;
        const defect = `${pointerText(at)}: string of ${length} × ${JSON.stringify(unit)}`;
        return draftFor(ctx, Buffer.from(JSON.stringify(next)), defect);
      }),
};

const NUMBERS = [
  '1e400',
  '-1e400',
  `1${'0'.repeat(400)}`,
  '123456789012345678901234567890',
  '9007199254740993',
  '-9007199254740993',
  '0.5',
  '-1',
  '-0',
  '1e-400',
  '2147483648',
  '4294967296',
];

const hugeNumber: Category = {
  name: 'body.huge-number',
  applies: hasBody,
  drafts: (ctx) =>
    fc.tuple(fc.nat(), fc.constantFrom(...NUMBERS)).map(([n, text]) => () => {
      const base = baseBody(ctx);
      const at = pick(nodesOf(base), n) ?? [];
      const defect = `${pointerText(at)}: ${text.length > 40 ? `${text.slice(0, 12)}…(${text.length} digits)` : text}`;
      return draftFor(ctx, spliceRaw(base, at, Buffer.from(text)), defect);
    }),
};

const BAD_UTF8: readonly number[][] = [
  [0xff],
  [0xfe],
  [0x80],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xe0, 0xa4],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
];

const invalidUtf8: Category = {
  name: 'body.invalid-utf8',
  applies: hasBody,
  drafts: (ctx) =>
    fc.tuple(fc.nat(), fc.nat()).map(([n, b]) => () => {
      const base = baseBody(ctx);
      const strings = nodesOf(base).filter((p) => typeof getAt(base, p) === 'string');
      // Into a string value when there is one, else a new member's value.
      const at = pick(strings, n) ?? ['fuzz'];
      const bad = pick(BAD_UTF8, b) ?? [0xff];
      const raw = Buffer.concat([Buffer.from('"ab'), Buffer.from(bad), Buffer.from('cd"')]);
      const hex = bad.map((x) => x.toString(16).padStart(2, '0')).join(' ');
      return draftFor(
        ctx,
        spliceRaw(base, at, raw),
        `${pointerText(at)}: bytes ${hex} in a string`,
      );
    }),
};

export const bodySchemaCategories: readonly Category[] = [
  wrongType,
  missingRequired,
  extraProperty,
  protoKey,
  deepNesting,
  hugeString,
  hugeNumber,
  invalidUtf8,
];
