import fc from 'fast-check';
import type { CaseContext, Category, Draft } from './fuzz-case.js';
import { OVERSIZED_URL } from './param-check.js';

// Credentials per the document's security schemes, and requests too big for node's parser.

function secured(ctx: CaseContext): boolean {
  return ctx.op.security.length > 0;
}

function ownKey(ctx: CaseContext): { header: string; key: string } | undefined {
  for (const s of ctx.op.security) {
    const key = ctx.credentials[s.scheme];
    if (key !== undefined) {
      return { header: s.header, key };
    }
  }
  return undefined;
}

const missingKey: Category = {
  name: 'security.missing',
  applies: secured,
  drafts: (ctx) =>
    fc.boolean().map((malformedBody) => () => {
      // With a malformed body too: the key is judged before the body is read (401, not 400).
      const withBody = malformedBody && ctx.op.body !== undefined;
      return {
        defect: withBody ? 'no credential, malformed body' : 'no credential',
        auth: [],
        ...(withBody ? { body: Buffer.from('{"oops') } : {}),
        expect: { statuses: [401] },
      };
    }),
};

const WRONG = fc.oneof(
  fc.constantFrom('', 'wrong', 'pk-', 'sk-', 'null', 'Bearer x', 'caf\u00e9', '*'),
  fc.stringMatching(/^[A-Za-z0-9-]{1,80}$/),
  fc.integer({ min: 2000, max: 8000 }).map((n) => 'k'.repeat(n)),
  fc.constantFrom('append', 'truncate', 'upper', 'twice'),
);

const wrongKey: Category = {
  name: 'security.wrong',
  applies: (ctx) => ownKey(ctx) !== undefined,
  drafts: (ctx) =>
    WRONG.map((choice) => () => {
      const own = ownKey(ctx);
      if (own === undefined) {
        return undefined;
      }
      const variants: Record<string, Array<[string, string]>> = {
        append: [[own.header, `${own.key}x`]],
        truncate: [[own.header, own.key.slice(0, -1)]],
        upper: [[own.header, own.key.toUpperCase()]],
        // node joins repeated headers: "<key>, <other>" is not the key.
        twice: [
          [own.header, own.key],
          [own.header, 'other'],
        ],
      };
      const variant = Object.hasOwn(variants, choice) ? variants[choice] : undefined;
      const auth = variant ?? [[own.header, choice]];
      if (auth.length === 1 && auth[0]?.[1] === own.key) {
        return undefined;
      }
      const shown = choice.length > 40 ? `${choice.length} chars` : JSON.stringify(choice);
      return {
        defect: `${own.header}: ${variant === undefined ? shown : choice}`,
        auth,
        expect: { statuses: [401] },
      };
    }),
};

const otherScheme: Category = {
  name: 'security.other-scheme',
  applies: (ctx) =>
    secured(ctx) &&
    ctx.doc.schemes.some(
      (s) => !ctx.op.security.some((o) => o.scheme === s.scheme) && ctx.credentials[s.scheme],
    ),
  drafts: (ctx) =>
    fc.nat().map((n) => () => {
      const others = ctx.doc.schemes.filter(
        (s) => !ctx.op.security.some((o) => o.scheme === s.scheme) && ctx.credentials[s.scheme],
      );
      const other = others[n % Math.max(1, others.length)];
      const key = other === undefined ? undefined : ctx.credentials[other.scheme];
      if (other === undefined || key === undefined) {
        return undefined;
      }
      return {
        defect: `a valid ${other.scheme} credential where ${ctx.op.security.map((s) => s.scheme).join('|')} is required`,
        auth: [[other.header, key]],
        expect: { statuses: [401, 403] },
      };
    }),
};

const oversizedHeaders: Category = {
  name: 'headers.oversized',
  applies: () => true,
  drafts: () =>
    fc
      .tuple(fc.constantFrom('one', 'cookie', 'many'), fc.integer({ min: 17_000, max: 48_000 }))
      .map(([shape, size]) => (): Draft => {
        const headers: Array<[string, string]> =
          shape === 'many'
            ? Array.from({ length: Math.ceil(size / 100) }, (_, i) => [
                `X-Fuzz-${i}`,
                'v'.repeat(90),
              ])
            : [
                [
                  shape === 'cookie' ? 'Cookie' : 'X-Fuzz-Pad',
                  `${shape === 'cookie' ? 'a=' : ''}${'p'.repeat(size)}`,
                ],
              ];
        return {
          defect: `${size} bytes of headers (${shape === 'many' ? `${headers.length} headers` : shape})`,
          headers,
          expect: { statuses: [431] },
        };
      }),
};

const oversizedUrl: Category = {
  name: 'url.oversized',
  applies: () => true,
  drafts: (ctx) =>
    fc.integer({ min: OVERSIZED_URL + 500, max: 40_000 }).map((size) => () => {
      const base = ctx.base.query.map(
        ([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`,
      );
      return {
        defect: `a ${size}-byte query string`,
        rawQuery: [...base, `pad=${'q'.repeat(size)}`].join('&'),
        expect: { statuses: [431, 414] },
      };
    }),
};

const noHost: Category = {
  name: 'headers.no-host',
  // HTTP/1.1 requires Host; node's server refuses a request without one before any app code.
  applies: () => true,
  drafts: () =>
    fc.constant(() => ({ defect: 'no Host header', omitHost: true, expect: { statuses: [400] } })),
};

export const headerCategories: readonly Category[] = [
  missingKey,
  wrongKey,
  otherScheme,
  oversizedHeaders,
  oversizedUrl,
  noHost,
];
