import type { ProcessorErrorCode } from '@agentplane/contracts';
import { assertNever } from '@agentplane/http-kit';

/** The HTTP status an error envelope goes out with (adapters read the envelope whatever it is). */
export function processorStatusFor(code: ProcessorErrorCode): number {
  switch (code) {
    case 'ERR_MALFORMED_JSON':
    case 'ERR_REQUEST_INVALID':
    case 'ERR_INPUTS_INVALID':
    case 'ERR_WRITE_PREFIX':
      return 400;
    case 'ERR_CI_SAFETY':
      return 403;
    case 'ERR_NOT_FOUND':
      return 404;
    case 'ERR_METHOD_NOT_ALLOWED':
      return 405;
    case 'ERR_HEADERS_TOO_LARGE':
      return 431;
    case 'ERR_PAYLOAD_TOO_LARGE':
      return 413;
    case 'ERR_HANDLER':
    case 'ERR_INTERNAL':
    case 'ERR_ENVELOPE_INVALID':
    case 'ERR_DIGEST_DRIFT':
      return 500;
    case 'ERR_UPSTREAM':
    case 'ERR_ADAPTER_UNREACHABLE':
      return 502;
    case 'ERR_SECRETS_MISSING':
      return 503;
    case 'ERR_TIMEOUT':
    case 'ERR_ADAPTER_TIMEOUT':
      return 504;
    default:
      return assertNever(code);
  }
}
