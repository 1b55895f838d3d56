// What bench/agent-manager/rag.ts takes from the app: the corpus, the local embedder (ground
// truth needs the same vectors) and the pgvector server of the tests.
export { createLocalEmbedder } from './embedder.js';
export { corpusDoc, corpusQuery, dataUrl } from './test-support/corpus.js';
export { servePgvector } from './test-support/serve-pgvector.js';
