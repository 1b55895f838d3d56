import { describe, expect, it } from 'vitest';
import { BusEvents, BusTopic } from './topics.js';

// The seed's §4 examples (with our agent id format) parse; the unions refuse a topic's
// message on another topic, and wrong or missing fields.

describe('bus topics', () => {
  const agent = 'agt_01jbz3x4m5q7r8s9t0';

  it('accepts the seed’s examples', () => {
    expect(
      BusEvents['agent.lifecycle'].parse({
        event: 'agent.started',
        payload: { agent_id: agent, timestamp: 123456789 },
      }),
    ).toEqual({ event: 'agent.started', payload: { agent_id: agent, timestamp: 123456789 } });
    expect(
      BusEvents['agent.trace'].parse({
        event: 'step.complete',
        payload: { agent_id: agent, step_id: 1, duration_ms: 150 },
      }).payload,
    ).toMatchObject({ step_id: 1, duration_ms: 150 });
    expect(
      BusEvents['rag.events'].parse({
        event: 'ingest.complete',
        payload: { job_id: 'job-123', docs_indexed: 50 },
      }).event,
    ).toBe('ingest.complete');
  });

  it('has a schema per topic, and refuses what does not fit', () => {
    expect(Object.keys(BusEvents).sort()).toEqual([...BusTopic.options].sort());
    const transition = {
      event: 'engine.transition',
      payload: {
        engine_id: '6f1c1b7e-8a43-4a57-9b0e-0c5d2f1e9a11',
        product_id: '00000000-0000-4000-8000-00000000a000',
        user_id: 'warm-1',
        from: null,
        to: 'destroyed',
        action: 'destroy',
        timestamp: 1,
      },
    };
    expect(BusEvents['engine.lifecycle'].safeParse(transition).success).toBe(true);
    expect(BusEvents['rag.events'].safeParse(transition).success).toBe(false);
    const bad = [
      { ...transition, payload: { ...transition.payload, to: 'gone' } },
      { ...transition, payload: { ...transition.payload, timestamp: '2026-01-01' } },
      { event: 'engine.transition', payload: { engine_id: transition.payload.engine_id } },
    ];
    for (const message of bad) {
      expect(BusEvents['engine.lifecycle'].safeParse(message).success).toBe(false);
    }
  });
});
