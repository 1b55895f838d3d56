import type { RouteDef } from '@agentplane/contracts/common';
import type { Request } from 'express';
import { z } from 'zod';
import { ApiError } from './api-error.js';
import { toValidationIssues } from './errors.js';
import { numericKeysOf, withNumbers } from './query-numbers.js';
import type { RouteInput } from './route-types.js';

const PARTS = ['params', 'query', 'headers', 'body'] as const;
type Part = (typeof PARTS)[number];

/** Content types the JSON parser reads and JSON routes accept. */
export const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * Builds the validator of one route: it parses params, query, headers and body with the route's
 * schemas and throws ONE ZodError holding every issue of every part, each path prefixed with its
 * part (`body.max_turns`). A route's `validationErrorCode` may turn it into another code (an
 * ApiError with the same `details.issues`).
 */
export function createRequestValidator<R extends RouteDef>(
  route: R,
): (req: Request) => RouteInput<R> {
  const schemas = PARTS.map((part) => [part, route.request?.[part]] as const).filter(
    (entry): entry is readonly [Part, z.ZodType] => entry[1] !== undefined,
  );
  // Query and path values arrive as text; the numbers among them are read here, canonically.
  const numeric: Partial<Record<Part, string[]>> = {
    query: route.request?.query === undefined ? [] : numericKeysOf(route.request.query),
    params: route.request?.params === undefined ? [] : numericKeysOf(route.request.params),
  };
  if (schemas.length === 0) {
    // Nothing to validate: skip the loop (fresh objects, since a handler may add to them).
    return () => ({ params: {}, query: {}, headers: {}, body: undefined }) as RouteInput<R>;
  }
  return (req) => {
    // Undeclared parts are empty, never the raw request data (handlers see only validated input).
    const input: Record<Part, unknown> = { params: {}, query: {}, headers: {}, body: undefined };
    let issues: z.core.$ZodIssue[] | undefined;
    for (const [part, schema] of schemas) {
      const result = schema.safeParse(withNumbers(req[part], numeric[part] ?? []));
      if (result.success) {
        input[part] = result.data;
      } else {
        issues ??= [];
        for (const issue of result.error.issues) {
          issues.push({ ...issue, path: [part, ...issue.path] });
        }
      }
    }
    if (issues !== undefined) {
      const code = route.validationErrorCode?.(issues);
      if (code !== undefined && code !== 'VALIDATION_ERROR') {
        throw new ApiError({
          code,
          message: 'The request is invalid',
          details: { issues: toValidationIssues(issues) },
        });
      }
      throw new z.ZodError(issues);
    }
    return input as unknown as RouteInput<R>;
  };
}

/** `/engines/{id}` → `/engines/:id`. */
export function toExpressPath(openApiPath: string): string {
  return openApiPath.replace(/\{([^}]+)\}/g, ':$1');
}
