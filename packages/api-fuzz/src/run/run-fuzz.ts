import { createDocumentChecker } from '@agentplane/testkit';
import fc from 'fast-check';
import { assemble } from '../cases/assemble.js';
import { categories } from '../cases/categories.js';
import { dimensionsArb } from '../cases/dimensions.js';
import type {
  CaseContext,
  Category,
  Dimensions,
  DraftThunk,
  FuzzCase,
} from '../cases/fuzz-case.js';
import { UNKNOWN_PATH } from '../cases/routes.js';
import { type FuzzConfig, selected } from '../config.js';
import { type SendResult, send } from '../http/send.js';
import type { Schema } from '../openapi/api-document.js';
import { createSchemaValidator } from '../openapi/schema-validator.js';
import type { FuzzTarget, StateSnapshot } from '../targets/fuzz-target.js';
import { baseRequest } from './base-request.js';
import { describeRequest, describeResponse } from './describe.js';
import { errorOf, judge, type Problem } from './judge.js';
import { diffState } from './state-diff.js';

/** One problem with one answer, with what it takes to find and replay it. */
export interface Failure {
  target: string;
  operation: string;
  category: string;
  /** The case's index in its (operation, category) sample. */
  index: number;
  /** FUZZ_SEED of the run. */
  seed: number;
  problem: Problem;
  defect: string;
  request: string;
  response: string;
  status?: number;
  code?: string;
}

export interface FuzzResult {
  target: string;
  seed: number;
  requests: number;
  /** Samples that turned out not to be defects (the document accepts them) and were not sent. */
  skipped: number;
  ms: number;
  /** Rounds completed (each sends one case of every operation and category). */
  rounds: number;
  budgetHit: boolean;
  failures: Failure[];
  /** Requests sent per operation id. */
  perOperation: Map<string, number>;
  perCategory: Map<string, number>;
  /** Every error code answered, with the statuses it came with. */
  codes: Map<string, Set<number>>;
}

interface Lane {
  ctx: CaseContext;
  category: Category;
  samples: Array<[DraftThunk, Dimensions]>;
}

/** FNV-1a over the parts: a stable seed per lane, independent of which lanes FUZZ_ONLY keeps. */
function laneSeed(seed: number, parts: string[]): number {
  let h = 0x811c9dc5 ^ seed;
  for (const ch of parts.join('|')) {
    h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  }
  return h | 0;
}

function schemasOf(target: FuzzTarget): Schema[] {
  return target.doc.operations.flatMap((op) => [
    ...op.params.map((p) => p.schema),
    ...(op.body === undefined ? [] : [op.body.schema]),
  ]);
}

function lanesOf(target: FuzzTarget, config: FuzzConfig, failures: Failure[]): Lane[] {
  const validator = createSchemaValidator(target.doc.raw, schemasOf(target));
  const credentials = target.credentials;
  const lanes: Lane[] = [];
  for (const op of [...target.doc.operations, UNKNOWN_PATH]) {
    let ctx: CaseContext;
    try {
      const base =
        op === UNKNOWN_PATH
          ? { pathParams: {}, query: [], headerParams: [], body: undefined, auth: [] }
          : baseRequest(target, op, validator);
      ctx = {
        doc: target.doc,
        op,
        base,
        validator,
        credentials,
        bodyLimitBytes: target.bodyLimitBytes,
      };
    } catch (error) {
      failures.push(setupFailure(target, config, op.id, error));
      continue;
    }
    for (const category of categories) {
      const wanted = op === UNKNOWN_PATH ? category.name === 'path.unknown' : category.applies(ctx);
      if (!wanted || !selected(config, op.id, category.name)) {
        continue;
      }
      const seed = laneSeed(config.seed, [target.name, op.id, category.name]);
      const arb = fc.tuple(category.drafts(ctx), dimensionsArb);
      lanes.push({ ctx, category, samples: fc.sample(arb, { seed, numRuns: config.runs }) });
    }
  }
  return lanes;
}

function setupFailure(
  target: FuzzTarget,
  config: FuzzConfig,
  operation: string,
  error: unknown,
): Failure {
  return {
    target: target.name,
    operation,
    category: 'setup',
    index: 0,
    seed: config.seed,
    problem: { kind: 'no valid base request', detail: String(error) },
    defect: '',
    request: '',
    response: '',
  };
}

const SETTLE_POLL_MS = 50;
const SETTLE_MAX_POLLS = 40;

/**
 * The state after an answer. A request that was accepted (or never answered) may still be
 * writing after its response (a run's trace file): its changes are waited for, so they are
 * pinned on it and not on the next request.
 */
async function settledState(target: FuzzTarget, answer: SendResult): Promise<StateSnapshot> {
  let state = await target.snapshot();
  if (answer.kind === 'response' && answer.response.status >= 400) {
    return state;
  }
  for (let i = 0; i < SETTLE_MAX_POLLS; i++) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    const again = await target.snapshot();
    if (diffState(state, again) === undefined) {
      return again;
    }
    state = again;
  }
  return state;
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/**
 * Sends every lane's cases round-robin (one case of each operation × category per round) until
 * FUZZ_RUNS rounds or the budget; the first round always completes. One request at a time, the
 * target's state read after each, so a change is pinned on the request that made it.
 */
export async function runFuzz(target: FuzzTarget, config: FuzzConfig): Promise<FuzzResult> {
  const started = performance.now();
  const failures: Failure[] = [];
  const lanes = lanesOf(target, config, failures);
  const checker = createDocumentChecker(target.doc.raw);
  const kitChecker =
    target.kitDoc === undefined ? checker : createDocumentChecker(target.kitDoc.raw);
  const result: FuzzResult = {
    target: target.name,
    seed: config.seed,
    requests: 0,
    skipped: 0,
    ms: 0,
    rounds: 0,
    budgetHit: false,
    failures,
    perOperation: new Map(),
    perCategory: new Map(),
    codes: new Map(),
  };
  let state = await target.snapshot();
  for (let round = 0; round < config.runs; round++) {
    if (round > 0 && performance.now() - started > config.budgetMs) {
      result.budgetHit = true;
      break;
    }
    for (const lane of lanes) {
      const sample = lane.samples[round];
      const draft = sample?.[0]();
      if (sample === undefined || draft === undefined) {
        result.skipped++;
        continue;
      }
      const c = assemble(lane.ctx, lane.category.name, draft, sample[1]);
      const answer = await send(target.port, c.request, config.requestTimeoutMs);
      const next = await settledState(target, answer);
      const diff = diffState(state, next);
      const problems = judge(target.doc, checker, c, answer, diff, kitChecker);
      state = next;
      result.requests++;
      bump(result.perOperation, lane.ctx.op.id);
      bump(result.perCategory, lane.category.name);
      for (const problem of problems) {
        failures.push(failureOf(target, config, lane, round, c, answer, problem));
      }
      noteCode(result, answer);
    }
    result.rounds = round + 1;
  }
  failures.push(...unstableCodes(result, config));
  result.ms = Math.round(performance.now() - started);
  return result;
}

function noteCode(result: FuzzResult, answer: SendResult): void {
  if (answer.kind !== 'response') {
    return;
  }
  const code = errorOf(answer.response)?.code;
  if (typeof code === 'string') {
    const statuses = result.codes.get(code) ?? new Set();
    statuses.add(answer.response.status);
    result.codes.set(code, statuses);
  }
}

/** A stable code means one status: the kits map each code to exactly one. */
function unstableCodes(result: FuzzResult, config: FuzzConfig): Failure[] {
  return [...result.codes]
    .filter(([, statuses]) => statuses.size > 1)
    .map(([code, statuses]) => ({
      target: result.target,
      operation: 'error-codes',
      category: 'codes',
      index: 0,
      seed: config.seed,
      problem: {
        kind: 'error code with two statuses',
        detail: `${code} answered with ${[...statuses].sort().join(' and ')}`,
      },
      defect: '',
      request: '',
      response: '',
      code,
    }));
}

function failureOf(
  target: FuzzTarget,
  config: FuzzConfig,
  lane: Lane,
  index: number,
  c: FuzzCase,
  answer: SendResult,
  problem: Problem,
): Failure {
  const res = answer.kind === 'response' ? answer.response : undefined;
  const code = res === undefined ? undefined : errorOf(res)?.code;
  return {
    target: target.name,
    operation: lane.ctx.op.id,
    category: c.category,
    index,
    seed: config.seed,
    problem,
    defect: c.defect,
    request: describeRequest(c.request, target.credentials),
    response: describeResponse(answer),
    ...(res === undefined ? {} : { status: res.status }),
    ...(typeof code === 'string' ? { code } : {}),
  };
}
