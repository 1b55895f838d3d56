import { startProcessor } from '@agentplane/processor-kit';
import { handler } from './handler.js';

await startProcessor({
  name: 'processor-doc-extract',
  handler,
  registry: new URL('../registry.yaml', import.meta.url),
  defaultPort: 8102,
});
