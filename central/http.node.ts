import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { CentralErrorCode } from '../protocol/http.ts';

/** An expected failure with its HTTP status; the error handler turns it into `{ error }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: CentralErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const describeZod = (error: z.ZodError): string =>
  error.issues
    .slice(0, 10)
    .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
    .join('; ');

/** Validates a body/query/params value; a failure is a 400 naming the fields. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, what = 'body'): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpError(400, 'BAD_REQUEST', `invalid ${what}: ${describeZod(result.error)}`);
  return result.data;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Url-safe random string with `bytes` of entropy. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

export const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Strong ETag of a JSON text. */
export const etagOf = (json: string): string => `"${sha256(json).slice(0, 32)}"`;

/**
 * Answers 304 when the client already holds `etag`, else the JSON text with the ETag.
 * `Cache-Control: no-cache` so intermediaries revalidate every time.
 */
export function sendWithEtag(req: FastifyRequest, reply: FastifyReply, etag: string, json: string) {
  reply.header('ETag', etag).header('Cache-Control', 'no-cache');
  const inm = req.headers['if-none-match'];
  if (inm && inm.split(',').some((t) => t.trim() === etag || t.trim() === '*')) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(json);
}

/** Central's server-rendered HTML pages (fleet, the display without a build): no script at all. */
export const HTML_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The built office web apps (counter, display): their own scripts, styles, fonts, events and sounds; nothing inline runs. */
export const APP_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; media-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
