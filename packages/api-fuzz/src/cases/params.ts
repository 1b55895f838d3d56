import fc from 'fast-check';
import type { ParamSpec } from '../openapi/api-document.js';
import { fillPath, queryString } from './assemble.js';
import type { CaseContext, Category, Draft, Expectation } from './fuzz-case.js';
import { isNumeric, OVERSIZED_URL, paramValid, templatePattern } from './param-check.js';

function paramsIn(ctx: CaseContext, where: ParamSpec['in']): ParamSpec[] {
  return ctx.op.params.filter((p) => p.in === where);
}

function pick<T>(items: readonly T[], n: number): T | undefined {
  return items.length === 0 ? undefined : items[n % items.length];
}

function excerpt(text: string): string {
  return text.length > 40
    ? `${JSON.stringify(text.slice(0, 24))}…(${text.length} chars)`
    : JSON.stringify(text);
}

/** The base path with `name`'s raw segment replaced. */
function pathWith(ctx: CaseContext, name: string, raw: string): string {
  return fillPath(ctx.op, (n) =>
    n === name ? raw : encodeURIComponent(ctx.base.pathParams[n] ?? ''),
  );
}

const MALFORMED_PERCENT = [
  '%',
  '%zz',
  '%E0%A4%A',
  '%C0%AF',
  '%ED%A0%80',
  '%FF',
  '%%',
  '%2',
  '%G0',
  '%u0041',
  '%F0%9F%98',
];

const pathMalformed: Category = {
  name: 'path.malformed-encoding',
  applies: (ctx) => paramsIn(ctx, 'path').length > 0,
  drafts: (ctx) =>
    fc
      .tuple(
        fc.nat(),
        fc.constantFrom(...MALFORMED_PERCENT),
        fc.constantFrom('alone', 'prefix', 'suffix'),
      )
      .map(([n, bad, where]) => () => {
        const spec = pick(paramsIn(ctx, 'path'), n);
        if (spec === undefined) {
          return undefined;
        }
        const valid = encodeURIComponent(ctx.base.pathParams[spec.name] ?? '');
        const raw =
          where === 'alone' ? bad : where === 'prefix' ? `${bad}${valid}` : `${valid}${bad}`;
        return {
          defect: `{${spec.name}} = ${raw}`,
          rawPath: pathWith(ctx, spec.name, raw),
          expect: { statuses: [400] },
        };
      }),
};

/** Strings path and query values are tried with (most invalid for typical id schemas). */
const ODD_VALUES = fc.oneof(
  fc.constantFrom(
    '',
    '.',
    '..',
    ' ',
    '-',
    '_x',
    'a b',
    'a/b',
    'a?b',
    'a#b',
    'a%b',
    '\u0000',
    'caf\u00e9',
    '\u{1F600}',
    '\u202Etxt',
    '<script>',
    "' OR 1=1 --",
    '__proto__',
    '-1',
    '1.5',
    'NaN',
    '[]',
    '{}',
  ),
  fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }),
  fc.integer({ min: 129, max: 3000 }).map((n) => 'a'.repeat(n)),
  fc.integer({ min: 17_000, max: 30_000 }).map((n) => 'a'.repeat(n)),
);

/** encodeURIComponent, or undefined for text it cannot encode (a lone surrogate). */
function encode(text: string): string | undefined {
  try {
    return encodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Latin-1 text without delimiters can go on the wire unencoded (node sends it as bytes). */
function rawable(text: string): boolean {
  return /^[\u0021-\u00ff]+$/.test(text) && !/[/?#%]/.test(text);
}

function urlExpectation(ctx: CaseContext, path: string, query: string): Expectation | undefined {
  if (path.length + query.length > OVERSIZED_URL) {
    return { statuses: [431, 414] };
  }
  // Routed elsewhere (an empty segment): whatever answers must be documented, never a 5xx.
  if (!templatePattern(ctx.op.path).test(path)) {
    return {};
  }
  return undefined;
}

const pathInvalid: Category = {
  name: 'path.invalid-value',
  applies: (ctx) => paramsIn(ctx, 'path').length > 0,
  drafts: (ctx) =>
    fc.tuple(fc.nat(), ODD_VALUES, fc.boolean()).map(([n, value, raw]) => () => {
      const spec = pick(paramsIn(ctx, 'path'), n);
      if (spec === undefined) {
        return undefined;
      }
      const sendRaw = raw && rawable(value);
      const encoded = sendRaw ? value : encode(value);
      if (encoded === undefined) {
        return undefined;
      }
      const path = pathWith(ctx, spec.name, encoded);
      const routed = urlExpectation(ctx, path, '');
      if (routed === undefined && paramValid(spec, ctx, value)) {
        return undefined;
      }
      return {
        defect: `{${spec.name}} = ${excerpt(value)}${sendRaw ? ' (raw bytes)' : ''}`,
        rawPath: path,
        expect: routed ?? { statuses: [400] },
      };
    }),
};

function queryWith(ctx: CaseContext, name: string, value: string | undefined): string {
  const rest = ctx.base.query.filter(([k]) => k !== name);
  return queryString(value === undefined ? rest : [...rest, [name, value]]);
}

function queryDraft(ctx: CaseContext, spec: ParamSpec, value: string): Draft | undefined {
  if (encode(value) === undefined) {
    return undefined;
  }
  const query = queryWith(ctx, spec.name, value);
  const routed = urlExpectation(ctx, ctx.op.path, query);
  if (routed === undefined && paramValid(spec, ctx, value)) {
    return undefined;
  }
  return {
    defect: `?${spec.name}=${excerpt(value)}`,
    rawQuery: query,
    expect: routed ?? { statuses: [400] },
  };
}

const queryInvalid: Category = {
  name: 'query.invalid-value',
  applies: (ctx) => paramsIn(ctx, 'query').length > 0,
  drafts: (ctx) =>
    fc.tuple(fc.nat(), ODD_VALUES).map(([n, value]) => () => {
      const spec = pick(paramsIn(ctx, 'query'), n);
      return spec === undefined ? undefined : queryDraft(ctx, spec, value);
    }),
};

const queryNoncanonical: Category = {
  name: 'query.noncanonical-number',
  // Texts Number() reads but the document's integer/number serialization does not produce.
  applies: (ctx) => paramsIn(ctx, 'query').some((p) => isNumeric(p, ctx)),
  drafts: (ctx) =>
    fc
      .tuple(fc.nat(), fc.constantFrom('', ' 5', '5 ', '+5', '0x10', '1e1', '0b1', '5.', '.5e1'))
      .map(([n, value]) => () => {
        const spec = pick(
          paramsIn(ctx, 'query').filter((p) => isNumeric(p, ctx)),
          n,
        );
        return spec === undefined ? undefined : queryDraft(ctx, spec, value);
      }),
};

const queryMissing: Category = {
  name: 'query.missing-required',
  applies: (ctx) => paramsIn(ctx, 'query').some((p) => p.required),
  drafts: (ctx) =>
    fc.nat().map((n) => () => {
      const spec = pick(
        paramsIn(ctx, 'query').filter((p) => p.required),
        n,
      );
      if (spec === undefined) {
        return undefined;
      }
      return {
        defect: `required ?${spec.name} left out`,
        rawQuery: queryWith(ctx, spec.name, undefined),
        expect: { statuses: [400] },
      };
    }),
};

const queryDuplicate: Category = {
  name: 'query.duplicate',
  // A non-array parameter given twice has no meaning in the document's (form) style.
  applies: (ctx) => ctx.base.query.length > 0,
  drafts: (ctx) =>
    fc.nat().map((n) => () => {
      const pair = pick(ctx.base.query, n);
      if (pair === undefined) {
        return undefined;
      }
      return {
        defect: `?${pair[0]} given twice`,
        rawQuery: queryString([...ctx.base.query, pair]),
        expect: { statuses: [400] },
      };
    }),
};

const queryMalformed: Category = {
  name: 'query.malformed-encoding',
  // Lenient: query parsers commonly keep a bad escape literally; the answer must still be a
  // documented one, and only GETs are tried.
  applies: (ctx) => paramsIn(ctx, 'query').length > 0 && ctx.op.method === 'GET',
  drafts: (ctx) =>
    fc.tuple(fc.nat(), fc.constantFrom(...MALFORMED_PERCENT)).map(([n, bad]) => () => {
      const spec = pick(paramsIn(ctx, 'query'), n);
      if (spec === undefined) {
        return undefined;
      }
      const rest = queryString(ctx.base.query.filter(([k]) => k !== spec.name));
      const query = `${rest === '' ? '' : `${rest}&`}${encodeURIComponent(spec.name)}=${bad}`;
      return { defect: `?${spec.name}=${bad}`, rawQuery: query, expect: {} };
    }),
};

const headerInvalid: Category = {
  name: 'header-param.invalid-value',
  applies: (ctx) => paramsIn(ctx, 'header').length > 0,
  drafts: (ctx) =>
    fc
      .tuple(
        fc.nat(),
        fc.constantFrom('abc', '-1', '1.5', '1234567890123456', '1e3', 'caf\u00e9', '[]'),
      )
      .map(([n, value]) => () => {
        const spec = pick(paramsIn(ctx, 'header'), n);
        if (spec === undefined || paramValid(spec, ctx, value)) {
          return undefined;
        }
        const others = ctx.base.headerParams.filter(([k]) => k !== spec.name);
        return {
          defect: `header ${spec.name}: ${JSON.stringify(value)}`,
          headerParams: [...others, [spec.name, value]],
          expect: { statuses: [400] },
        };
      }),
};

export const paramCategories: readonly Category[] = [
  pathMalformed,
  pathInvalid,
  queryInvalid,
  queryNoncanonical,
  queryMissing,
  queryDuplicate,
  queryMalformed,
  headerInvalid,
];
