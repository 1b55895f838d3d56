import fc from 'fast-check';
import type { CorrelationChoice, Dimensions } from './fuzz-case.js';

/**
 * The platform's rule for a caller's X-Correlation-Id (http-kit `isValidCorrelationId`; not in
 * the documents): at most 128 of `[A-Za-z0-9._:-]`. A well-formed id is kept and echoed;
 * anything else is replaced by a generated one.
 */
export const WELL_FORMED_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const malformed: fc.Arbitrary<readonly string[]> = fc.oneof(
  fc.integer({ min: 129, max: 400 }).map((n) => ['c'.repeat(n)]),
  fc.constantFrom(
    [''],
    ['has space'],
    ['slash/inside'],
    ['comma,inside'],
    ['quote"inside'],
    ['semi;colon'],
    ['caf\u00e9'],
    ['<script>'],
    ['{"json":1}'],
  ),
  // Sent twice: node joins the two into "a, b", which is not one well-formed id.
  fc
    .tuple(fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.stringMatching(/^[a-z0-9]{1,12}$/))
    .map(([a, b]) => [a, b]),
);

export const correlationArb: fc.Arbitrary<CorrelationChoice> = fc.oneof(
  fc.constant<CorrelationChoice>({ kind: 'none' }),
  fc
    .stringMatching(WELL_FORMED_CORRELATION_ID)
    .map<CorrelationChoice>((id) => ({ kind: 'well-formed', id })),
  malformed.map<CorrelationChoice>((values) => ({ kind: 'malformed', values })),
);

const acceptEncodingArb = fc.constantFrom<string | undefined>(
  undefined,
  'identity',
  'gzip',
  'br',
  'deflate',
  'zstd',
  'gzip, deflate, br, zstd',
  '*',
);

export const dimensionsArb: fc.Arbitrary<Dimensions> = fc.record({
  correlation: correlationArb,
  acceptEncoding: acceptEncodingArb,
});
