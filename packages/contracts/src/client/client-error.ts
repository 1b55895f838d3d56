/** Why a client call failed without a declared `{status, body}` to return. */
export type ClientErrorKind =
  | 'transport' // connection refused/reset, DNS, abort
  | 'undeclared_status' // the route declares no such status
  | 'invalid_response'; // the body or content type does not match the contract

/** Thrown by clients only for transport failures and replies the contract does not allow. */
export class ClientError extends Error {
  override readonly name = 'ClientError';
  constructor(
    readonly kind: ClientErrorKind,
    message: string,
    readonly details: { operationId: string; status?: number; body?: unknown; cause?: unknown },
  ) {
    super(message, { cause: details.cause });
  }
}
