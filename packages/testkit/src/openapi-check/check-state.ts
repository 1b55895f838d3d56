import { AsyncLocalStorage } from 'node:async_hooks';
import { createDocumentSource, type DocumentSource } from './document-source.js';
import { checkedFetch, type RequestContext } from './fetch-hook.js';
import { hookNodeHttp } from './http-hook.js';
import { checkExchange, type Violation } from './response-check.js';

/** The process-wide state of the check: hooks installed once, whatever module copy runs them. */
export interface CheckState {
  violations: Violation[];
  pending: Set<Promise<unknown>>;
  documents: DocumentSource;
  /** Set while allowUndocumented runs its function. */
  scope: AsyncLocalStorage<true>;
  /** The running test's name; the setup file keeps it current. */
  currentTest: string | undefined;
  /** Responses and stream events checked against a document so far. */
  counts: { response: number; event: number };
}

// vitest may run several test files in one process, each with its own copy of this module:
// the hooks and what they collect live on globalThis, under one well-known symbol.
const KEY = Symbol.for('@agentplane/testkit/openapi-check');

function globalState(): CheckState | undefined {
  return (globalThis as Record<symbol, CheckState | undefined>)[KEY];
}

/**
 * Installs the fetch and node:http hooks (once per process) and returns the shared state. Our
 * own GET /openapi.json requests use the fetch found here, so they are never checked.
 */
export function installCheck(): CheckState {
  const existing = globalState();
  if (existing !== undefined) {
    return existing;
  }
  const original = globalThis.fetch;
  const state: CheckState = {
    violations: [],
    pending: new Set(),
    documents: createDocumentSource(original),
    scope: new AsyncLocalStorage<true>(),
    currentTest: undefined,
    counts: { response: 0, event: 0 },
  };
  const sink = {
    record: (violation: Violation) => {
      state.violations.push(violation);
    },
    track: (pending: Promise<unknown>) => {
      state.pending.add(pending);
      void pending.finally(() => state.pending.delete(pending));
    },
    count: (what: 'response' | 'event') => {
      state.counts[what]++;
    },
  };
  const context = (): RequestContext => ({
    allowed: state.scope.getStore() === true,
    test: state.currentTest,
  });
  const start = (exchange: Parameters<typeof checkExchange>[2]) =>
    checkExchange(state.documents, sink, exchange);
  globalThis.fetch = checkedFetch(original, context, start);
  hookNodeHttp(context, start);
  (globalThis as Record<symbol, CheckState | undefined>)[KEY] = state;
  return state;
}

/**
 * Waits (at most `timeoutMs`) for checks still reading bodies, then takes the violations found so
 * far. A body that never ends (a stream the test left open) is not waited for past the deadline.
 */
export async function takeViolations(state: CheckState, timeoutMs = 5000): Promise<Violation[]> {
  if (state.pending.size > 0) {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.allSettled([...state.pending]), deadline]);
    clearTimeout(timer);
  }
  return state.violations.splice(0);
}

/**
 * Runs `fn` with the OpenAPI check relaxed for the requests it sends: their responses are not
 * held against the document. For tests that receive undocumented answers on purpose (a raw
 * socket fault, a server killed mid-reply); prefer documenting the answer instead.
 *
 * @example
 * const res = await allowUndocumented(() => fetch(`${base}/run`, { method: 'POST', body }));
 */
export function allowUndocumented<T>(fn: () => T): T {
  const state = globalState();
  return state === undefined ? fn() : state.scope.run(true, fn);
}
