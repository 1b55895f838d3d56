import { ConfigError } from '@agentplane/http-kit';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { ingestExtractor } from './rag/ingest-worker.js';

const urls = (map: Record<string, string>) => ({ AM_PROCESSOR_URLS: JSON.stringify(map) });

describe('the RAG extract processor', () => {
  it('refuses a processor that AM_PROCESSOR_URLS does not name', () => {
    const load = () =>
      loadConfig({
        AM_RAG_EXTRACT_PROCESSOR: 'doc/extract@1',
        ...urls({ 'text/summarize@1': 'http://127.0.0.1:8101' }),
      });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      'AM_RAG_EXTRACT_PROCESSOR: must be a processor of AM_PROCESSOR_URLS (configured: text/summarize@1)',
    );
    expect(() => loadConfig({ AM_RAG_EXTRACT_PROCESSOR: 'doc/extract@1' })).toThrow(
      '(configured: none)',
    );
  });

  it('uses the named processor, its folder defaulting to <AM_DATA_DIR>/extract', () => {
    const config = loadConfig({
      AM_DATA_DIR: '/srv/am',
      AM_RAG_EXTRACT_PROCESSOR: 'doc/extract@1',
      ...urls({ 'doc/extract@1': 'http://a:8102', 'doc/extract@2': 'http://b:8102' }),
    });
    expect(ingestExtractor(config)).toEqual({
      processorId: 'doc/extract@1',
      url: 'http://a:8102',
      dir: '/srv/am/extract',
    });
  });

  it('takes the only doc/extract@N of AM_PROCESSOR_URLS when none is named', () => {
    const config = loadConfig({
      AM_RAG_EXTRACT_DIR: '/shared/extract',
      ...urls({ 'doc/extract@2': 'http://b:8102', 'text/summarize@1': 'http://c:8101' }),
    });
    expect(ingestExtractor(config)).toEqual({
      processorId: 'doc/extract@2',
      url: 'http://b:8102',
      dir: '/shared/extract',
    });
  });

  it('has none when no doc/extract is configured, or when versions are ambiguous', () => {
    expect(ingestExtractor(loadConfig({}))).toBeUndefined();
    const two = loadConfig(urls({ 'doc/extract@1': 'http://a:1', 'doc/extract@2': 'http://b:2' }));
    expect(ingestExtractor(two)).toBeUndefined();
  });
});
