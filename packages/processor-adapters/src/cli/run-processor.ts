#!/usr/bin/env -S node --import tsx
// run-processor: runs one processor through the LocalAdapter (a container) or the RemoteAdapter (a
// URL) and prints its envelope. See the package README for an example.
import { createLogger } from '@agentplane/http-kit';
import { runProcessorCommand } from './run-processor-command.js';

const abort = new AbortController();
// Ctrl-C ends the run as ERR_ADAPTER_UNREACHABLE and still removes the container.
process.once('SIGINT', () => abort.abort());
process.once('SIGTERM', () => abort.abort());

process.exitCode = await runProcessorCommand({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  logger: createLogger({ name: 'run-processor', level: process.env.LOG_LEVEL ?? 'info' }),
  signal: abort.signal,
});
