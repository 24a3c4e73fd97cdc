// Intercom answers every failure with the same envelope (API-NOTES §4.1); handlers throw ApiError
// and the server renders it, so the envelope and X-Request-Id cannot drift apart.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorBody(requestId: string, code: string, message: string) {
  return { type: "error.list", request_id: requestId, errors: [{ code, message }] };
}

export const invalid = (message: string): ApiError => new ApiError(400, "parameter_invalid", message);
export const userNotFound = (): ApiError => new ApiError(404, "not_found", "User Not Found");
