import { describe, expectTypeOf, it } from 'vitest';
import type { admitEngine, listAudit } from '../orchestratord/routes.js';
import type { EngineStatus } from '../orchestratord/schemas.js';
import type { ClientInput, RouteInput, RouteResponse } from './route-types.js';

type Body<R> = R extends { body: infer B } ? B : never;

// The same sides as the generated documents: a client sends the zod input side (defaulted keys
// optional), handlers and clients receive the output side (null where the server sends null).
describe('route types and the sides of the zod schemas', () => {
  it('lets a client omit a defaulted key, and a handler always sees it', () => {
    expectTypeOf<NonNullable<ClientInput<typeof admitEngine>['body']>>().toEqualTypeOf<{
      auto_wake?: boolean | undefined;
    }>();
    expectTypeOf<RouteInput<typeof admitEngine>['body']>().toEqualTypeOf<{ auto_wake: boolean }>();
  });

  it('types a field the server may send as null as nullable', () => {
    type Admit = Body<Extract<RouteResponse<typeof admitEngine>, { status: 200 }>>;
    expectTypeOf<
      Extract<Admit, { admitted: false }>['status']
    >().toEqualTypeOf<EngineStatus | null>();
    type Audit = Body<Extract<RouteResponse<typeof listAudit>, { status: 200 }>>;
    expectTypeOf<Audit['entries'][number]['engine_id']>().toEqualTypeOf<string | null>();
  });
});
