import zlib from 'node:zlib';
import fc from 'fast-check';
import { bodyRefusal, isDefectiveBody } from './body-check.js';
import type { CaseContext, Category, Draft } from './fuzz-case.js';

// Body defects at the byte and header level: no body, not JSON, the wrong media type or
// encoding, a compressed body that inflates past the limit.

function hasBody(ctx: CaseContext): boolean {
  return ctx.op.body !== undefined;
}

function baseBytes(ctx: CaseContext): Buffer {
  return Buffer.from(JSON.stringify(ctx.base.body ?? {}));
}

const empty: Category = {
  name: 'body.empty',
  // "A request body that is required is required even when empty" (issue 11, finding 2).
  applies: (ctx) => ctx.op.body?.required === true,
  drafts: () =>
    fc
      .constantFrom<[string, Draft]>(
        ['Content-Length: 0, application/json', { defect: '', expect: { statuses: [400] } }],
        [
          'Content-Length: 0, no Content-Type',
          { defect: '', contentType: null, expect: { statuses: [400] } },
        ],
        [
          'Content-Length: 0, text/plain',
          { defect: '', contentType: 'text/plain', expect: { statuses: [400, 415] } },
        ],
        [
          'no body at all, application/json',
          {
            defect: '',
            body: null,
            headers: [['Content-Type', 'application/json']],
            expect: { statuses: [400] },
          },
        ],
      )
      .map(([defect, draft]) => () => ({
        body: Buffer.alloc(0),
        ...draft,
        defect: `empty body (${defect})`,
      })),
};

const MALFORMED = [
  '{',
  '}',
  '{"a":}',
  '{"a":1,}',
  '[1,]',
  "{'a':1}",
  '{a:1}',
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":undefined}',
  '{"a":1}{"b":2}',
  '{"a":1} x',
  '{/* comment */}',
  '   ',
  '\n',
  'null',
  'true',
  '0',
  '"string"',
  '[]',
  '[{}]',
  '\u0000',
  '{"a":"\\x41"}',
  '{"a":"\\u12"}',
];

const malformedJson: Category = {
  name: 'body.malformed-json',
  applies: hasBody,
  drafts: (ctx) =>
    fc
      .oneof(
        fc
          .constantFrom(...MALFORMED)
          .map((t) => ({ bytes: Buffer.from(t), what: JSON.stringify(t) })),
        fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => ({
          bytes: Buffer.from(b),
          what: `${b.length} random bytes`,
        })),
        fc.nat().map((n) => {
          const full = baseBytes(ctx);
          const cut = 1 + (n % Math.max(1, full.length - 1));
          return { bytes: full.subarray(0, cut), what: `the valid body cut at byte ${cut}` };
        }),
      )
      .map(
        ({ bytes, what }) =>
          () =>
            isDefectiveBody(ctx, bytes)
              ? { defect: `body ${what}`, body: bytes, expect: bodyRefusal(ctx, bytes) }
              : undefined,
      ),
};

const WRONG_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'application/xml',
  'text/json',
  'application/octet-stream',
  'application/jsonp',
  'json',
  'application/json-seq',
  '*/*',
  '',
];

const contentType: Category = {
  name: 'body.content-type',
  // Only where the document says a body of another type is refused (415).
  applies: (ctx) => hasBody(ctx) && ctx.op.statuses.has('415'),
  drafts: () =>
    fc.constantFrom<string | null>(...WRONG_TYPES, null).map((type) => () => ({
      defect:
        type === null ? 'a JSON body without Content-Type' : `Content-Type ${JSON.stringify(type)}`,
      contentType: type,
      expect: { statuses: [415] },
    })),
};

const ENCODINGS = ['gzip', 'deflate', 'br', 'zstd', 'x-gzip', 'compress', 'bogus', 'gzip, gzip'];

const contentEncoding: Category = {
  name: 'body.content-encoding',
  applies: hasBody,
  drafts: () =>
    fc.constantFrom(...ENCODINGS).map((encoding) => () => ({
      defect: `Content-Encoding ${encoding} on a plain (uncompressed) body`,
      headers: [['Content-Encoding', encoding]],
      expect: { statuses: [400, 415] },
    })),
};

function compress(encoding: string, bytes: Buffer): Buffer {
  switch (encoding) {
    case 'gzip':
      return zlib.gzipSync(bytes);
    case 'deflate':
      return zlib.deflateSync(bytes);
    case 'br':
      return zlib.brotliCompressSync(bytes);
    default:
      return zlib.zstdCompressSync(bytes);
  }
}

const compressed: Category = {
  name: 'body.compressed',
  applies: hasBody,
  drafts: (ctx) =>
    fc
      .tuple(fc.constantFrom('gzip', 'deflate', 'br', 'zstd'), fc.boolean())
      .map(([encoding, bomb]) => () => {
        // A bomb: a valid JSON string member that inflates to 4 × the limit.
        const plain = bomb
          ? Buffer.from(`{"a":"${'a'.repeat(ctx.bodyLimitBytes * 4)}"}`)
          : Buffer.from('{"a":');
        return {
          defect: bomb
            ? `${encoding} body inflating to ${plain.length} bytes (limit ${ctx.bodyLimitBytes})`
            : `${encoding} body of malformed JSON`,
          body: compress(encoding, plain),
          headers: [['Content-Encoding', encoding]],
          expect: { statuses: bomb ? [413] : [400] },
        };
      }),
};

const unexpectedBody: Category = {
  name: 'body.on-get',
  // Not a defect the document names: a GET with a body gets a documented answer, never a 5xx.
  applies: (ctx) => ctx.op.method === 'GET',
  drafts: (ctx) =>
    fc.constantFrom('json', 'garbage', 'gzip-garbage', 'oversized').map((kind) => () => {
      const bodies: Record<string, Draft> = {
        json: { defect: 'a JSON body on a GET', body: Buffer.from('{"a":1}'), expect: {} },
        garbage: {
          defect: 'a non-JSON body on a GET',
          body: Buffer.from('{not json'),
          expect: {},
        },
        'gzip-garbage': {
          defect: 'a gzip-labelled plain body on a GET',
          body: Buffer.from('{"a":1}'),
          headers: [['Content-Encoding', 'gzip']],
          expect: {},
        },
        oversized: {
          defect: `a ${ctx.bodyLimitBytes * 2}-byte body on a GET`,
          body: Buffer.alloc(ctx.bodyLimitBytes * 2, 0x61),
          expect: {},
        },
      };
      return bodies[kind];
    }),
};

export const bodyBytesCategories: readonly Category[] = [
  empty,
  malformedJson,
  contentType,
  contentEncoding,
  compressed,
  unexpectedBody,
];
