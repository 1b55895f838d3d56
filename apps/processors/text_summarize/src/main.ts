import { startProcessor } from '@agentplane/processor-kit';
import { handler } from './handler.js';

await startProcessor({
  name: 'processor-text-summarize',
  handler,
  registry: new URL('../registry.yaml', import.meta.url),
  defaultPort: 8101,
});
