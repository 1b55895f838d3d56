#!/usr/bin/env node
// The CLI is TypeScript source (no build step); tsx's loader runs it.
import { register } from 'tsx/esm/api';

register();
const { runMain } = await import('../src/cli/main.ts');
process.exitCode = await runMain();
