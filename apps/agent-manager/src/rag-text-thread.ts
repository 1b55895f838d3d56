import { serveTextThread } from './rag/sqlite-text-thread.js';

// The sqlite RAG store's full-text thread (open-rag.ts starts it in the API process).
serveTextThread();
