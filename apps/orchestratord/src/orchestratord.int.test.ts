import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { orchestratordDocument } from '@agentplane/contracts';
import { serviceProcessSuite } from '@agentplane/testkit';

serviceProcessSuite({
  service: 'orchestratord',
  entry: fileURLToPath(new URL('./main.ts', import.meta.url)),
  openapi: orchestratordDocument,
  // Its own PGlite and dev secrets, not the checkout's .data/.
  env: { ORCH_DATA_DIR: join(tmpdir(), `orch-process-${randomBytes(6).toString('hex')}`) },
  // A fresh PGlite runs initdb first: ~15 s on an idle 2-core machine.
  startTimeoutMs: 90_000,
});
