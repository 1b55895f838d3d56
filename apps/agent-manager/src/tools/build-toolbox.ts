import { join } from 'node:path';
import { type LlmClient, MOCK_MODEL } from '@agentplane/agent-loop';
import type { Config } from '../config.js';
import { dbQueryRole } from './db-query-role.js';
import type { RagToolsAccess } from './rag-tools.js';
import type { ReadOnlySql } from './read-only-query.js';
import { createSqlRunner } from './sql-runner.js';
import { createToolbox, type Toolbox } from './toolbox.js';

export interface BuildToolboxDeps {
  llm: LlmClient;
  /** db.query's database; when absent, one is opened from AM_TOOL_DATABASE_URL ?? DATABASE_URL. */
  sql: ReadOnlySql | undefined;
  /** ai.complete's model; default AM_MODEL, else `mock`. */
  model?: string;
  /** rag.query and memory.*: the RAG and memory services of this process */
  rag?: RagToolsAccess;
}

/**
 * The toolbox from the service config: files under AM_FILES_ROOT (default <AM_DATA_DIR>/files),
 * http.fetch only when AM_HTTP_ALLOW_HOSTS names a host, processor.run only with
 * AM_PROCESSOR_URLS. `close()` closes the pool it may have opened.
 */
export function buildToolbox(config: Config, deps: BuildToolboxDeps): Toolbox {
  const url = config.AM_TOOL_DATABASE_URL ?? config.DATABASE_URL;
  const owned =
    deps.sql === undefined && url !== undefined
      ? createSqlRunner({ url, poolSize: 4, role: dbQueryRole(config) })
      : undefined;
  const toolbox = createToolbox({
    filesRoot: config.AM_FILES_ROOT ?? join(config.AM_DATA_DIR, 'files'),
    sql: deps.sql ?? owned,
    llm: { client: deps.llm, model: deps.model ?? config.AM_MODEL ?? MOCK_MODEL },
    http:
      config.AM_HTTP_ALLOW_HOSTS.length === 0
        ? undefined
        : { allowedHosts: config.AM_HTTP_ALLOW_HOSTS, allowPrivate: config.AM_HTTP_ALLOW_PRIVATE },
    processors:
      Object.keys(config.AM_PROCESSOR_URLS).length === 0
        ? undefined
        : { urls: config.AM_PROCESSOR_URLS },
    ...(deps.rag === undefined ? {} : { rag: deps.rag }),
  });
  return {
    ...toolbox,
    async close() {
      await toolbox.close();
      await owned?.close();
    },
  };
}
