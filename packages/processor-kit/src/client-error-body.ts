import type { ErrorCode, ProcessorErrorCode } from '@agentplane/contracts';
import type { ClientErrorBody } from '@agentplane/http-kit';
import { type BaseMeta, errorEnvelope } from './envelopes.js';

function processorCodeOf(code: ErrorCode): ProcessorErrorCode {
  switch (code) {
    case 'HEADERS_TOO_LARGE':
      return 'ERR_HEADERS_TOO_LARGE';
    case 'PAYLOAD_TOO_LARGE':
      return 'ERR_PAYLOAD_TOO_LARGE';
    default:
      // Malformed HTTP (400) and a request that did not arrive in time (408): the client's.
      return 'ERR_REQUEST_INVALID';
  }
}

/**
 * The body of what node's HTTP parser refuses before express runs (headers over 16 KB → 431,
 * malformed HTTP → 400): an error envelope like every other processor answer, not the platform's
 * `{error}` shape. http-kit writes the status and X-Correlation-Id.
 */
export function processorClientErrorBody(meta: BaseMeta): ClientErrorBody {
  return (_status, code) => errorEnvelope(meta, '', processorCodeOf(code));
}
