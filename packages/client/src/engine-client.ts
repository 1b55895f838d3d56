import { type Client, type ClientOptions, createClient, engineRoutes } from '@agentplane/contracts';
import { headersWith, type Secret } from './auth-headers.js';

export interface EngineClientOptions extends ClientOptions {
  /** The engine key (`sk-…`, from provision, admit or GET /engines/{user_id}): `X-Engine-Key`. */
  engineKey: Secret;
}

/** One method per engine operation: getHealth, execute (SSE), replayExecution (SSE), … */
export type EngineClient = Client<typeof engineRoutes>;

/**
 * A typed client of one user's engine, at the `url` and `engine_key` that admit returns.
 *
 * ```ts
 * const engine = createEngineClient({ baseUrl: admitted.url, engineKey: admitted.engine_key });
 * const res = await engine.execute({ body: { message: 'hi', task_id: 't1' } });
 * if (res.status === 200) for await (const ev of res.events) console.log(ev.event);
 * ```
 */
export function createEngineClient(options: EngineClientOptions): EngineClient {
  const { engineKey, headers, ...rest } = options;
  return createClient(engineRoutes, {
    ...rest,
    headers: headersWith({ 'x-engine-key': engineKey }, headers),
  });
}
