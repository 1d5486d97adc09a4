import type { z } from 'zod';
import { ErrorBody } from '../../protocol/http.ts';

/**
 * The counter app's HTTP client (same origin as central): the session cookie goes by itself;
 * the CSRF token goes as `x-csrf-token` on every POST. Every answer is parsed with its zod schema.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

let csrfToken = '';
export const setCsrf = (token: string) => {
  csrfToken = token;
};

/** `background`: a read the screen makes by itself (after a pushed event); it does not keep the session open. */
export async function api<S extends z.ZodType>(
  schema: S,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  background = false,
): Promise<z.output<S>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(method === 'POST' ? { 'x-csrf-token': csrfToken } : {}),
        ...(background ? { 'x-officer-activity': 'background' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'OFFLINE', 'central unreachable');
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const err = ErrorBody.safeParse(json);
    throw new ApiError(
      res.status,
      err.success ? err.data.error.code : 'INTERNAL',
      err.success ? err.data.error.message : `HTTP ${res.status}`,
      err.success ? err.data.error.details : undefined,
    );
  }
  return schema.parse(json);
}
