import type { RouteDef } from '@agentplane/contracts/common';
import type { IRouter, NextFunction, Request, RequestHandler, Response } from 'express';
import { DEFAULT_BODY_LIMIT_BYTES, JSON_BODY_LOCAL, jsonBodyReader } from './json-body.js';
import { setRouteLabel } from './route-label.js';
import { recordRoute } from './route-table.js';
import type { RouteContext, RouteHandler, RouteInput, RouteResult } from './route-types.js';
import { createRequestValidator, toExpressPath } from './validate.js';

/** `app.locals` key set by `createServiceApp({ validateResponses })`. */
export const VALIDATE_RESPONSES_LOCAL = 'httpKitValidateResponses';

export interface RegisterRouteOptions {
  /**
   * Check each returned body against the route's schema for its status and answer 500 on a
   * mismatch. Meant for development and tests; defaults to the app's `validateResponses`.
   */
  validateResponse?: boolean;
}

/** Thrown (→ 500) when a handler's result breaks the route's declared responses. */
export class ResponseContractError extends Error {
  readonly details: unknown;

  constructor(message: string, details?: unknown) {
    super(message);
    this.name = 'ResponseContractError';
    this.details = details;
  }
}

/**
 * The context handed to a handler. A class, not an object literal: a literal with a per-request
 * `get signal()` closure gets its own hidden class (map) every time, and those maps landed in old
 * space: the bench kit server spent ~11% of its CPU in GC (mostly mark-compacts) because of it.
 */
class HandlerContext {
  readonly params: unknown;
  readonly query: unknown;
  readonly headers: unknown;
  readonly body: unknown;
  readonly req: Request;
  readonly res: Response;
  #controller: AbortController | undefined;

  constructor(input: RouteInput<RouteDef>, req: Request, res: Response) {
    this.params = input.params;
    this.query = input.query;
    this.headers = input.headers;
    this.body = input.body;
    this.req = req;
    this.res = res;
  }

  /** Read through to `req.log`, which the kit creates only when something logs. */
  get log(): Request['log'] {
    return this.req.log;
  }

  /** Created on first read: most handlers never look at it. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      const c = new AbortController();
      this.#controller = c;
      const res = this.res;
      if (res.closed) {
        if (!res.writableFinished) {
          c.abort();
        }
      } else {
        res.once('close', () => {
          if (!res.writableFinished) {
            c.abort(new Error('client disconnected'));
          }
        });
      }
    }
    return this.#controller.signal;
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function checkResult(route: RouteDef, result: { status: number; body?: unknown }): void {
  const declared = route.responses[result.status];
  if (declared === undefined) {
    throw new ResponseContractError(`${route.operationId}: status ${result.status} not declared`);
  }
  if (declared.kind === 'sse') {
    throw new ResponseContractError(
      `${route.operationId}: status ${result.status} is an SSE stream`,
    );
  }
  if (declared.kind === 'empty') {
    if (result.body !== undefined) {
      throw new ResponseContractError(`${route.operationId}: status ${result.status} has no body`);
    }
    return;
  }
  const parsed = declared.schema.safeParse(result.body);
  if (!parsed.success) {
    throw new ResponseContractError(
      `${route.operationId}: response ${result.status} does not match its schema`,
      parsed.error.issues,
    );
  }
}

function send(res: Response, result: { status: number; body?: unknown; headers?: object }): void {
  res.status(result.status);
  if (result.headers !== undefined) {
    for (const [name, value] of Object.entries(result.headers)) {
      res.setHeader(name, String(value));
    }
  }
  if (result.body === undefined) {
    res.end();
  } else {
    res.json(result.body);
  }
}

let defaultBodyReader: RequestHandler | undefined;

/** The app's body reader (its limit), or body-parser's default limit on a bare express app. */
function readBody(req: Request, res: Response, next: NextFunction): void {
  const reader = req.app.locals[JSON_BODY_LOCAL] as RequestHandler | undefined;
  if (reader !== undefined) {
    reader(req, res, next);
    return;
  }
  defaultBodyReader ??= jsonBodyReader(DEFAULT_BODY_LIMIT_BYTES);
  defaultBodyReader(req, res, next);
}

/**
 * Registers `route` on `router` with ONE handler that validates params, query, headers and body
 * (all issues at once → 400 VALIDATION_ERROR), calls `handler` with typed input and sends its
 * `{status, body}`. Errors, sync or async, reach the app's error middleware (express 5).
 * Only a route with a body schema reads the body, in a layer before that handler and so after
 * any guard mounted earlier on the path (415 for another Content-Type; an empty body is missing);
 * any other route ignores a body. The route is recorded so a wrong method on its path gets 405.
 *
 * @example
 * registerRoute(router, getEngineRoute, async ({ params }) => {
 *   const engine = await engines.get(params.engine_id);
 *   return { status: 200, body: engine };
 * });
 */
export function registerRoute<const R extends RouteDef>(
  router: IRouter,
  route: R,
  handler: NoInfer<RouteHandler<R>>,
  opts: RegisterRouteOptions = {},
): void {
  const templateParams = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  if (templateParams.length > 0 && route.request?.params === undefined) {
    // Handlers read params only through the schema, so an undeclared one would be unreachable.
    throw new Error(`${route.operationId}: path ${route.path} has parameters but no params schema`);
  }
  const validate = createRequestValidator(route);
  const expectsJson = route.request?.body !== undefined;
  recordRoute(router, route.method, route.path);

  const template = route.path;
  const finish = (req: Request, res: Response, result: RouteResult<R> | undefined): void => {
    // void (an SSE handler's Promise<void>) and undefined both mean "I wrote the response".
    if (result === undefined) {
      return;
    }
    if (res.headersSent) {
      throw new ResponseContractError(
        `${route.operationId}: handler returned a result after writing the response`,
      );
    }
    const outcome = result as { status: number; body?: unknown; headers?: object };
    if (opts.validateResponse ?? req.app.locals[VALIDATE_RESPONSES_LOCAL] === true) {
      checkResult(route, outcome);
    }
    send(res, outcome);
  };

  // Not an async function: a handler answering synchronously is sent in the same tick, without a
  // promise and a microtask per request. Sync throws and rejections both reach the error
  // middleware (express 5 catches the one and handles the returned promise of the other).
  const handle = (req: Request, res: Response): Promise<void> | undefined => {
    setRouteLabel(req, req.baseUrl + template);
    const ctx = new HandlerContext(validate(req), req, res) as unknown as RouteContext<R>;
    const result = handler(ctx);
    if (isPromiseLike(result)) {
      return Promise.resolve(result).then((r) => finish(req, res, r as RouteResult<R> | undefined));
    }
    finish(req, res, result as RouteResult<R> | undefined);
    return undefined;
  };
  const path = toExpressPath(route.path);
  if (expectsJson) {
    // Labelled here too, so a refused body (413, 415) is counted under its route.
    const bodyLayer = (req: Request, res: Response, next: NextFunction): void => {
      setRouteLabel(req, req.baseUrl + template);
      readBody(req, res, next);
    };
    router[route.method](path, bodyLayer, handle);
  } else {
    router[route.method](path, handle);
  }
}
