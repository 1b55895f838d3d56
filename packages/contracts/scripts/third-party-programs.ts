/**
 * Small programs a product would write against clients generated from our documents by
 * third-party tools, per surface: `openapi-fetch` over openapi-typescript's `paths` (default
 * settings), and @hey-api/openapi-ts's fetch SDK. They are only type-checked, never run. Each
 * sends a request with its required fields only (defaulted ones omitted) and reads a field the
 * server may send as null, proving the type lets null in.
 */
export interface ProductPrograms {
  'openapi-fetch': string;
  'hey-api': string;
}

/** Compiles only when T admits null: `const x: IsNullable<T> = true`. */
const NULLABLE = 'type IsNullable<T> = null extends T ? true : false;\n';

const openapiFetch = (surface: string, port: number, body: string) =>
  `import createClient from 'openapi-fetch';
import type { paths } from './${surface}/openapi-typescript.js';
${NULLABLE}
const api = createClient<paths>({ baseUrl: 'http://localhost:${port}' });

export async function run(): Promise<void> {
${body}
}
`;

const heyApi = (surface: string, imports: string, body: string) =>
  `import { ${imports} } from './${surface}/hey-api/index.js';
${NULLABLE}
export async function run(): Promise<void> {
${body}
}
`;

export const productPrograms: Readonly<Record<string, ProductPrograms>> = {
  engine: {
    'openapi-fetch': openapiFetch(
      'engine',
      8000,
      `  const turn = await api.POST('/execute', {
    body: { message: 'hello', task_id: 'task-1' },
    headers: { 'X-Engine-Key': 'sk-test' },
    parseAs: 'stream',
  });
  void turn.response.status;
  await api.POST('/rpc', {
    body: { subsystem: 'control', op: 'set_config', config: { models: { default: 'mock' } } },
  });
  const state = await api.POST('/rpc', { body: { subsystem: 'control', op: 'get_config' } });
  if (state.data?.op === 'get_config') {
    const allowlist: string[] = state.data.result.config.tools.allowlist;
    void allowlist;
  }
  const health = await api.GET('/health');
  const status: string | undefined = health.data?.status;
  void status;`,
    ),
    'hey-api': heyApi(
      'engine',
      'execute, getHealth, rpc',
      `  const turn = await execute({ body: { message: 'hello', task_id: 'task-1' } });
  for await (const event of turn.stream) {
    void event;
  }
  await rpc({
    body: { subsystem: 'control', op: 'set_config', config: { models: { default: 'mock' } } },
  });
  // The response side: a defaulted field is always sent, so it is not optional.
  const state = await rpc({ body: { subsystem: 'control', op: 'get_config' } });
  if (state.data?.op === 'get_config') {
    const allowlist: string[] = state.data.result.config.tools.allowlist;
    void allowlist;
  }
  const health = await getHealth();
  const status: string | undefined = health.data?.status;
  void status;`,
    ),
  },
  'orchestratord-control': {
    'openapi-fetch': openapiFetch(
      'orchestratord-control',
      8080,
      `  const admit = await api.POST('/engines/{user_id}/admit', {
    params: { path: { user_id: 'user_42' } },
    body: {},
  });
  if (admit.data !== undefined && !admit.data.admitted) {
    const status: string | null = admit.data.status;
    const statusIsNullable: IsNullable<typeof admit.data.status> = true;
    void [status, statusIsNullable];
  }
  const audit = await api.GET('/audit', {});
  for (const entry of audit.data?.entries ?? []) {
    const engineId: string | null = entry.engine_id;
    const engineIdIsNullable: IsNullable<typeof entry.engine_id> = true;
    void [engineId, engineIdIsNullable];
  }
  const page = await api.GET('/engines', {});
  void page.data?.next_cursor;`,
    ),
    'hey-api': heyApi(
      'orchestratord-control',
      'admitEngine, listAudit, listEngines',
      `  const admit = await admitEngine({ path: { user_id: 'user_42' }, body: {} });
  if (admit.data !== undefined && !admit.data.admitted) {
    const status: string | null = admit.data.status;
    const statusIsNullable: IsNullable<typeof admit.data.status> = true;
    void [status, statusIsNullable];
  }
  const audit = await listAudit();
  for (const entry of audit.data?.entries ?? []) {
    const engineId: string | null = entry.engine_id;
    const engineIdIsNullable: IsNullable<typeof entry.engine_id> = true;
    void [engineId, engineIdIsNullable];
  }
  const page = await listEngines();
  void page.data?.next_cursor;`,
    ),
  },
  processor: {
    'openapi-fetch': openapiFetch(
      'processor',
      8101,
      `  const body = {
    execution_id: 'exec-1',
    write_prefix: '/artifacts/{execution_id}',
    schema: 'v1',
    mode: 'mock' as const,
    inputs: {},
  };
  const run = await api.POST('/run', { body });
  void (run.data ?? run.error);
  await api.GET('/healthz');`,
    ),
    'hey-api': heyApi(
      'processor',
      'getProcessorHealth, runProcessor',
      `  const run = await runProcessor({
    body: {
      execution_id: 'exec-1',
      write_prefix: '/artifacts/{execution_id}',
      schema: 'v1',
      mode: 'mock',
      inputs: {},
    },
  });
  void (run.data ?? run.error);
  await getProcessorHealth();`,
    ),
  },
  'agent-manager': {
    'openapi-fetch': openapiFetch(
      'agent-manager',
      3000,
      `  const health = await api.GET('/health');
  const uptime: number | undefined = health.data?.uptime_seconds;
  void uptime;`,
    ),
    'hey-api': heyApi(
      'agent-manager',
      'getHealth',
      `  const health = await getHealth();
  const uptime: number | undefined = health.data?.uptime_seconds;
  void uptime;`,
    ),
  },
};
