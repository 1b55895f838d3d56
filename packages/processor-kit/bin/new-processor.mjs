#!/usr/bin/env node
// The kit is TypeScript source (no build step); tsx's loader runs it.
import { register } from 'tsx/esm/api';

register();
const { newProcessorCli } = await import('../src/new-processor-cli.ts');
process.exitCode = await newProcessorCli(process.argv.slice(2));
