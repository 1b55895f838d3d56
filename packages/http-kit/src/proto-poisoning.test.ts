import { describe, expect, it } from 'vitest';
import { protoPoisoningPath } from './proto-poisoning.js';

const path = (text: string) => protoPoisoningPath(JSON.parse(text), text);

describe('protoPoisoningPath', () => {
  it('finds __proto__ and constructor.prototype at any depth, escaped or not', () => {
    expect(path('{"__proto__":{}}')).toEqual(['__proto__']);
    expect(path('[0,{"a":[{"__proto__":null}]}]')).toEqual([1, 'a', 0, '__proto__']);
    expect(path('{"x":{"\\u005F\\u005Fproto\\u005f\\u005f":1}}')).toEqual(['x', '__proto__']);
    expect(path('{"constructor":{"prototype":{}}}')).toEqual(['constructor', 'prototype']);
    // Without the text, the walk always runs.
    expect(protoPoisoningPath(JSON.parse('{"a":{"__proto__":1}}'))).toEqual(['a', '__proto__']);
  });

  it('clears clean values, and a text without a suspect token without walking', () => {
    expect(path('{"constructor":"x","prototype":{},"proto":1}')).toBeUndefined();
    expect(path('{"constructor":{"name":"x"}}')).toBeUndefined();
    expect(protoPoisoningPath(JSON.parse('{"__proto__":1}'), '{"a":1}')).toBeUndefined();
  });

  it('walks a 200k-deep value without overflowing the stack', () => {
    const depth = 200_000;
    const text = `${'['.repeat(depth)}{"__proto__":1}${']'.repeat(depth)}`;
    expect(path(text)).toHaveLength(depth + 1);
  });
});
