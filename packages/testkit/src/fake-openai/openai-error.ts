/** OpenAI's error body: `{ error: { message, type, code, param } }`. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; code: string | null; param: string | null };
}

// The `type` values the real API uses for each status, so SDK code that branches on them
// sees what production sends.
function errorTypeFor(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 429:
      return 'rate_limit_error';
    default:
      return status >= 500 ? 'server_error' : 'invalid_request_error';
  }
}

export function openaiError(
  status: number,
  message: string,
  options: { type?: string; code?: string | null; param?: string | null } = {},
): OpenAIErrorBody {
  return {
    error: {
      message,
      type: options.type ?? errorTypeFor(status),
      code: options.code ?? null,
      param: options.param ?? null,
    },
  };
}
