import type { Failure, FuzzResult } from './run-fuzz.js';

const EXAMPLES_PER_OPERATION = 2;

/** One line: what was sent, how long it took, what was left out. */
export function summaryLine(result: FuzzResult): string {
  const budget = result.budgetHit ? ', budget reached' : '';
  return (
    `[api-fuzz] ${result.target}: ${result.requests} requests in ${(result.ms / 1000).toFixed(1)} s ` +
    `(${result.rounds} rounds${budget}; ${result.skipped} samples not defects, not sent; ` +
    `FUZZ_SEED=${result.seed}), ${result.failures.length} problems`
  );
}

/** One cause: the kind of request and what it got back (status and error code). */
function groupKey(f: Failure): string {
  const answer =
    f.status === undefined
      ? f.problem.kind
      : `${f.status}${f.code === undefined ? '' : ` ${f.code}`}`;
  return `${f.category} → ${answer}`;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): string {
  const counts = new Map<string, number>();
  for (const item of items) {
    counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${k} ×${n}`).join(', ');
}

function examples(list: readonly Failure[], op: string): string[] {
  const out: string[] = [];
  const mine = list.filter((f) => f.operation === op);
  const cases = [...new Set(mine.map((f) => f.index))];
  for (const index of cases.slice(0, EXAMPLES_PER_OPERATION)) {
    const problems = mine.filter((f) => f.index === index);
    const first = problems[0];
    if (first === undefined) {
      continue;
    }
    out.push(`    ${op} #${index}${first.defect === '' ? '' : ` ${first.defect}`}`);
    if (first.request !== '') {
      out.push(`      request:  ${first.request}`);
      out.push(`      response: ${first.response}`);
    }
    for (const f of problems) {
      out.push(`      ✗ ${f.problem.kind}: ${f.problem.detail}`);
    }
  }
  if (cases.length > EXAMPLES_PER_OPERATION) {
    out.push(`    … ${cases.length - EXAMPLES_PER_OPERATION} more cases on ${op}`);
  }
  return out;
}

/**
 * Failures grouped by cause (category, status and code), each group naming its problems and
 * the operations it hit, with an example or two and how to replay them.
 */
export function formatFailures(failures: readonly Failure[], testFile: string): string {
  const groups = new Map<string, Failure[]>();
  for (const f of failures) {
    const list = groups.get(groupKey(f)) ?? [];
    list.push(f);
    groups.set(groupKey(f), list);
  }
  const out: string[] = [];
  const sorted = [...groups].sort((a, b) => b[1].length - a[1].length);
  for (const [key, list] of sorted) {
    const ops = [...new Set(list.map((f) => f.operation))];
    out.push(`● ${key} — ${countBy(list, (f) => f.problem.kind)} — on ${ops.join(', ')}`);
    for (const op of ops) {
      out.push(...examples(list, op));
    }
    const first = list[0];
    if (first !== undefined && first.category !== 'codes' && first.category !== 'setup') {
      out.push(
        `    replay: FUZZ_SEED=${first.seed} FUZZ_ONLY='${first.operation}:${first.category}' ` +
          `pnpm --filter @agentplane/api-fuzz exec vitest run ${testFile}`,
      );
    }
  }
  return out.join('\n');
}
