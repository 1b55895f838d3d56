import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { surfaceByName } from '@agentplane/contracts';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { UNKNOWN_PATH } from '../cases/routes.js';
import { loadFuzzConfig } from '../config.js';
import { surfaceDocument } from '../openapi/api-document.js';
import type { FuzzTarget } from '../targets/fuzz-target.js';
import { SURFACE_TARGETS } from '../targets/surface-targets.js';
import { formatFailures, summaryLine } from './report.js';
import { type FuzzResult, runFuzz } from './run-fuzz.js';

interface FuzzSuiteOptions {
  target: string;
  surface: string;
  start: () => Promise<FuzzTarget>;
}

async function writeReport(result: FuzzResult, text: string): Promise<void> {
  const dir = process.env.FUZZ_REPORT_DIR;
  if (dir === undefined || dir === '') {
    return;
  }
  await mkdir(dir, { recursive: true });
  const summary = {
    ...result,
    perOperation: Object.fromEntries(result.perOperation),
    perCategory: Object.fromEntries(result.perCategory),
    codes: Object.fromEntries([...result.codes].map(([k, v]) => [k, [...v]])),
  };
  await writeFile(join(dir, `${result.target}.json`), JSON.stringify(summary, null, 2));
  await writeFile(join(dir, `${result.target}.txt`), text);
}

/**
 * The fuzz of one running service: started and fuzzed once in beforeAll, then one test per
 * operation of its document (plus unknown paths, set-up and cross-operation checks) that fails
 * with that operation's problems, grouped by cause. A new route is a new test here by being in
 * the document.
 */
function fuzzSuite(opts: FuzzSuiteOptions): void {
  const testFile = `${opts.surface}-fuzz`;
  const doc = surfaceDocument(surfaceByName(opts.surface));
  const config = loadFuzzConfig();
  const names = [...doc.operations.map((o) => o.id), UNKNOWN_PATH.id, 'error-codes'];

  describe(`${opts.target} (${opts.surface}.yaml) under fuzz`, () => {
    let target: FuzzTarget | undefined;
    let result: FuzzResult | undefined;

    beforeAll(async () => {
      target = await opts.start();
      result = await runFuzz(target, config);
      const report = formatFailures(result.failures, testFile);
      const text = `${summaryLine(result)}\n${report}`;
      process.stderr.write(`${text}\n`);
      await writeReport(result, text);
    });

    afterAll(async () => {
      await target?.close();
    });

    it('builds a valid base request for every operation', () => {
      const setup = (result?.failures ?? []).filter((f) => f.category === 'setup');
      if (result === undefined || setup.length > 0) {
        throw new Error(formatFailures(setup, testFile) || 'the fuzz did not run');
      }
    });

    it.each(names)('%s', (operation) => {
      const mine = (result?.failures ?? []).filter(
        (f) => f.operation === operation && f.category !== 'setup',
      );
      if (mine.length > 0) {
        throw new Error(
          `${mine.length} problems (FUZZ_SEED=${config.seed})\n${formatFailures(mine, testFile)}`,
        );
      }
    });
  });
}

/** The fuzz suites of every service serving `surface` (see SURFACE_TARGETS). */
export function fuzzSurface(surface: string): void {
  const targets = SURFACE_TARGETS[surface];
  if (targets === undefined) {
    throw new Error(`no fuzz target serves the ${surface} surface`);
  }
  for (const [target, start] of Object.entries(targets)) {
    fuzzSuite({ target, surface, start });
  }
}
