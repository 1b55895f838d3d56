import { existsSync } from 'node:fs';
import { surfaces } from '@agentplane/contracts';
import { expect, it } from 'vitest';
import { SURFACE_TARGETS } from './surface-targets.js';

it('fuzzes every surface the contracts generate a document for', () => {
  expect(Object.keys(SURFACE_TARGETS).sort()).toEqual(surfaces.map((s) => s.name).sort());
  for (const surface of Object.keys(SURFACE_TARGETS)) {
    const file = new URL(`../${surface}-fuzz.int.test.ts`, import.meta.url);
    expect(existsSync(file), `src/${surface}-fuzz.int.test.ts`).toBe(true);
  }
});
