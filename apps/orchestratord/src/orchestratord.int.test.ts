import { fileURLToPath } from 'node:url';
import { buildDocument, surfaceByName } from '@agentplane/contracts';
import { serviceProcessSuite } from '@agentplane/testkit';

serviceProcessSuite({
  service: 'orchestratord',
  entry: fileURLToPath(new URL('./main.ts', import.meta.url)),
  openapi: () => buildDocument(surfaceByName('orchestratord-control')),
});
