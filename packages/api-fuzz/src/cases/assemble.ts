import type { RawRequest } from '../http/send.js';
import type { Operation } from '../openapi/api-document.js';
import type { BaseRequest, CaseContext, Dimensions, Draft, FuzzCase } from './fuzz-case.js';

/** The operation's path with each `{param}` replaced by `raw(name)` (already encoded). */
export function fillPath(op: Operation, raw: (name: string) => string): string {
  return op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => raw(name));
}

export function basePath(op: Operation, base: BaseRequest): string {
  return fillPath(op, (name) => encodeURIComponent(base.pathParams[name] ?? ''));
}

export function queryString(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

function correlationHeaders(d: Dimensions): Array<[string, string]> {
  switch (d.correlation.kind) {
    case 'none':
      return [];
    case 'well-formed':
      return [['X-Correlation-Id', d.correlation.id]];
    case 'malformed':
      return d.correlation.values.map((v) => ['X-Correlation-Id', v] as [string, string]);
  }
}

/** The base request of `ctx` changed as `draft` says, with the case's dimensions applied. */
export function assemble(
  ctx: CaseContext,
  category: string,
  draft: Draft,
  dims: Dimensions,
): FuzzCase {
  const { op, base } = ctx;
  const path = draft.rawPath ?? basePath(op, base);
  const query = draft.rawQuery ?? queryString(base.query);
  const body =
    draft.body === null
      ? undefined
      : (draft.body ??
        (base.body === undefined ? undefined : Buffer.from(JSON.stringify(base.body))));
  const headers: Array<readonly [string, string]> = [
    ...(draft.auth ?? base.auth),
    ...(draft.headerParams ?? base.headerParams),
    ...correlationHeaders(dims),
  ];
  if (dims.acceptEncoding !== undefined) {
    headers.push(['Accept-Encoding', dims.acceptEncoding]);
  }
  if (body !== undefined) {
    const type = draft.contentType === undefined ? 'application/json' : draft.contentType;
    if (type !== null) {
      headers.push(['Content-Type', type]);
    }
    headers.push(['Content-Length', String(body.length)]);
  }
  headers.push(...(draft.headers ?? []));
  const request: RawRequest = {
    method: draft.method ?? op.method,
    path: query === '' ? path : `${path}?${query}`,
    headers,
    ...(body === undefined ? {} : { body }),
    ...(draft.omitHost === true ? { omitHost: true } : {}),
  };
  return {
    category,
    defect: draft.defect,
    expect: draft.expect,
    request,
    correlation: dims.correlation,
  };
}
