import { describe, expect, it } from 'vitest';
import { EngineEvent, isTerminalEvent } from './events.js';
import { ExecuteRequestBody } from './execute.js';
import { GatewayConfig } from './gateway-config.js';
import { HitlRespondRequestBody } from './hitl.js';
import { engineRoutes } from './routes.js';
import { isKnownRpcOperation, RpcRequestBody, rpcValidationErrorCode } from './rpc.js';

describe('ExecuteRequestBody', () => {
  it('applies the seed defaults', () => {
    expect(ExecuteRequestBody.parse({ message: 'hi', task_id: 't-1' })).toEqual({
      message: 'hi',
      task_id: 't-1',
      max_turns: 50,
      super_thinking: false,
      media: [],
      direct: false,
      edit_message_id: null,
      retry_message_id: null,
      on_disconnect: 'continue',
      multitask_strategy: 'reject',
    });
  });

  it('rejects empty messages, bad bounds and edit+retry together', () => {
    const bad = [
      { message: '', task_id: 't' },
      { message: 'x'.repeat(100_001), task_id: 't' },
      { message: 'hi', task_id: 't', max_turns: 201 },
      { message: 'hi', task_id: 't', max_turns: 1.5 },
      { message: 'hi', task_id: '../etc' },
      { message: 'hi', task_id: 't', edit_message_id: 'm1', retry_message_id: 'm2' },
    ];
    for (const body of bad) {
      expect(ExecuteRequestBody.safeParse(body).success, JSON.stringify(body).slice(0, 80)).toBe(
        false,
      );
    }
  });

  it('requires exactly one of url or data per media item', () => {
    const media = (item: object) =>
      ExecuteRequestBody.safeParse({ message: 'hi', task_id: 't', media: [item] }).success;
    const img = { type: 'image', mime_type: 'image/png' };
    expect(media({ ...img, url: 'https://x.test/a.png' })).toBe(true);
    expect(media({ ...img, data: 'aGk=' })).toBe(true);
    expect(media(img)).toBe(false);
    expect(media({ ...img, url: 'https://x.test/a.png', data: 'aGk=' })).toBe(false);
    expect(media({ ...img, url: 'file:///etc/passwd' })).toBe(false);
  });
});

describe('GatewayConfig', () => {
  it('fills every section from an empty document', () => {
    const config = GatewayConfig.parse({});
    expect(config.models).toEqual({ default: 'mock', fallback: [] });
    expect(config.quotas).toEqual({ tokens_per_day: null, requests_per_minute: null });
    expect(config.tools.allowlist).toEqual(['*']);
    expect(config.prompt_cache.enabled).toBe(true);
    expect(config.http_fetch.allowed_hosts).toEqual([]);
  });

  it('rejects unknown keys (typos) and bad patterns', () => {
    expect(GatewayConfig.safeParse({ quota: {} }).success).toBe(false);
    expect(GatewayConfig.safeParse({ quotas: { tokens_per_dya: 5 } }).success).toBe(false);
    expect(
      GatewayConfig.safeParse({ tools: { allowlist: ['memory.*', 'http.fetch'] } }).success,
    ).toBe(true);
    expect(GatewayConfig.safeParse({ tools: { allowlist: ['Mem ory'] } }).success).toBe(false);
  });
});

describe('RpcRequestBody', () => {
  const code = (body: unknown) => {
    const r = RpcRequestBody.safeParse(body);
    return r.success ? 'ok' : (rpcValidationErrorCode(r.error.issues) ?? 'VALIDATION_ERROR');
  };

  it('separates unknown operations from invalid params', () => {
    expect(code({ subsystem: 'control', op: 'get_config' })).toBe('ok');
    expect(code({ subsystem: 'control', op: 'set_config', config: {} })).toBe('ok');
    expect(code({ subsystem: 'control', op: 'launch_rockets' })).toBe('UNKNOWN_OPERATION');
    expect(code({ subsystem: 'telemetry', op: 'get_config' })).toBe('UNKNOWN_OPERATION');
    expect(code({ subsystem: 'control', op: 'set_key_hashes', hashes: ['abc'] })).toBe(
      'VALIDATION_ERROR',
    );
    expect(code({ subsystem: 'control', op: 'set_config', config: { nope: 1 } })).toBe(
      'VALIDATION_ERROR',
    );
    // As the HTTP kit passes them: every path prefixed with its request part.
    const prefixed = RpcRequestBody.safeParse({ subsystem: 'control', op: 'nope' });
    const issues = (prefixed.error?.issues ?? []).map((i) => ({ ...i, path: ['body', ...i.path] }));
    expect(rpcValidationErrorCode(issues)).toBe('UNKNOWN_OPERATION');
    expect(isKnownRpcOperation('telemetry', 'cache_state')).toBe(true);
    expect(isKnownRpcOperation('control', 'cache_state')).toBe(false);
    expect(isKnownRpcOperation('control', 'toString')).toBe(false);
  });

  it('accepts 1..8 unique SHA-256 hex hashes', () => {
    const h = (c: string) => c.repeat(64);
    expect(code({ subsystem: 'control', op: 'set_key_hashes', hashes: [h('a'), h('b')] })).toBe(
      'ok',
    );
    expect(code({ subsystem: 'control', op: 'set_key_hashes', hashes: [h('a'), h('a')] })).toBe(
      'VALIDATION_ERROR',
    );
    expect(code({ subsystem: 'control', op: 'set_key_hashes', hashes: [] })).toBe(
      'VALIDATION_ERROR',
    );
  });
});

describe('events and routes', () => {
  it('marks exactly the three thread.* end events terminal', () => {
    const base = { task_id: 't', turn_id: 'u', seq: 1 };
    const cancelled = EngineEvent.parse({ ...base, event: 'thread.cancelled', reason: 'shutdown' });
    const delta = EngineEvent.parse({ ...base, event: 'text_delta', text: 'x' });
    expect(isTerminalEvent(cancelled)).toBe(true);
    expect(isTerminalEvent(delta)).toBe(false);
  });

  it('rejects duplicate request ids in one HITL batch', () => {
    const r = { request_id: 'r1', decision: 'approve' };
    expect(HitlRespondRequestBody.safeParse({ responses: [r, r] }).success).toBe(false);
    expect(HitlRespondRequestBody.safeParse({ responses: [] }).success).toBe(false);
  });

  it('keys every route by its operationId', () => {
    for (const [key, route] of Object.entries(engineRoutes)) {
      expect(route.operationId).toBe(key);
    }
  });
});
