import { readFileSync } from 'node:fs';
import { Agent, fetch as undiciFetch } from 'undici';
import type { z } from 'zod';
import { BatchResponse, ReconcileResponse, type BatchRequest, type ReconcileRequest } from '../../protocol/batch.ts';
import { EnrolResponse, type EnrolRequest } from '../../protocol/enrol.ts';
import { ErrorBody, HealthResponse } from '../../protocol/http.ts';
import { OfficeListResponse } from '../../protocol/office.ts';
import { KioskError } from '../../contract/errors.ts';
import type { Credentials } from './credentials.node.ts';

/**
 * Why a call to central failed, in the terms the sync engine acts on:
 * - OFFLINE: no answer (refused, reset, timeout) — probe until it comes back;
 * - CENTRAL_ERROR: central answered 5xx/429 or something unreadable — back off, honour Retry-After;
 * - UNAUTHORIZED: 401/403 — the credential is wrong or revoked (technician);
 * - NOT_PROVISIONED: this kiosk has no credential yet;
 * - REJECTED: another 4xx — this request will not succeed as sent.
 */
export type CentralErrorKind = 'OFFLINE' | 'CENTRAL_ERROR' | 'UNAUTHORIZED' | 'NOT_PROVISIONED' | 'REJECTED';

export class CentralClientError extends Error {
  constructor(
    readonly kind: CentralErrorKind,
    message: string,
    readonly status?: number,
    /** Central's error code (`PAYLOAD_TOO_LARGE`, `DEVICE_REVOKED`, …) when it sent one. */
    readonly code?: string,
    readonly retryAfterMs?: number,
    /** Central's error details (e.g. `opensAt`) when it sent any. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CentralClientError';
  }

  /** For kiosk API handlers: the matching KioskError. */
  toKioskError(): KioskError {
    if (this.kind === 'REJECTED' && this.status === 404) return new KioskError('NOT_FOUND', this.message);
    const code = this.kind === 'REJECTED' ? 'CENTRAL_ERROR' : this.kind;
    return new KioskError(code, this.message, this.status ? { status: this.status } : undefined);
  }
}

/** Retry-After as seconds or an HTTP date, in ms (undefined when absent or unreadable). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export interface CentralClientOptions {
  baseUrl: string | (() => string);
  credentials: () => Credentials | null;
  timeoutMs?: number;
  /**
   * The province's CA (PEM) for `https://` centrals: pinned, i.e. the only authority this client
   * trusts (not the system's list). Absent: the system's authorities.
   */
  ca?: string;
}

/** Reads the pinned CA file of the configuration (`centralCaFile`, env KIOSK_CENTRAL_CA), if any. */
export const readCentralCa = (file: string | undefined): { ca?: string } =>
  file ? { ca: readFileSync(file, 'utf8') } : {};

/** TLS failures that mean "this is not our central" rather than "central is away". */
const UNTRUSTED_TLS = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export const UNTRUSTED_CENTRAL_MESSAGE =
  'Chứng chỉ của máy chủ trung tâm không do cơ quan chứng thực đã cấu hình cấp (KIOSK_CENTRAL_CA): kiosk không gửi dữ liệu. Kỹ thuật viên kiểm tra địa chỉ và tệp CA. / Central’s certificate is not from the configured CA (KIOSK_CENTRAL_CA): the kiosk sends nothing. A technician checks the address and the CA file.';

/** Finds the TLS error code in a fetch failure's cause chain. */
function tlsCode(err: unknown): string | undefined {
  for (let e = err as { code?: string; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++)
    if (e.code && UNTRUSTED_TLS.has(e.code)) return e.code;
  return undefined;
}

export interface Fetched<T> {
  readonly status: number;
  readonly etag: string | null;
  /** 304: the caller's copy is current; `value` is undefined. */
  readonly notModified: boolean;
  readonly value: T | undefined;
}

/** The kiosk's only HTTP client for central: authenticated, time-limited, typed errors, zod-checked answers. */
export class CentralClient {
  readonly #opts: Required<CentralClientOptions>;
  #inFlight = new AbortController();

  /** Cuts every request now waiting on central (shutdown must not wait out their time limits). */
  abortInFlight(): void {
    this.#inFlight.abort();
    this.#inFlight = new AbortController();
  }

  readonly #fetch: typeof fetch;

  constructor(opts: CentralClientOptions) {
    this.#opts = { timeoutMs: 10_000, ca: '', ...opts };
    // A pinned CA: undici's own fetch with an agent trusting only that CA.
    if (opts.ca) {
      const dispatcher = new Agent({ connect: { ca: opts.ca, rejectUnauthorized: true } });
      this.#fetch = ((url: string | URL, init?: RequestInit) =>
        undiciFetch(url, { ...(init as object), dispatcher } as Parameters<
          typeof undiciFetch
        >[1])) as unknown as typeof fetch;
    } else this.#fetch = fetch;
  }

  get baseUrl(): string {
    const b = this.#opts.baseUrl;
    return typeof b === 'function' ? b() : b;
  }

  async request<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    schema: S,
    {
      body,
      raw,
      headers: extra,
      etag,
      auth = true,
      timeoutMs = this.#opts.timeoutMs,
    }: {
      body?: unknown;
      /** Bytes sent as application/octet-stream (attachment chunks) instead of a JSON body. */
      raw?: Uint8Array;
      headers?: Record<string, string>;
      etag?: string | null;
      auth?: boolean;
      timeoutMs?: number;
    } = {},
  ): Promise<Fetched<z.output<S>>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (auth) {
      const creds = this.#opts.credentials();
      if (!creds) throw new CentralClientError('NOT_PROVISIONED', 'this kiosk is not enrolled with central yet');
      headers.authorization = `Bearer ${creds.token}`;
    }
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (raw !== undefined) headers['content-type'] = 'application/octet-stream';
    Object.assign(headers, extra);
    if (etag) headers['if-none-match'] = etag;
    let res: Response;
    let text: string;
    try {
      res = await this.#fetch(new URL(path, this.baseUrl), {
        method,
        headers,
        body:
          raw !== undefined
            ? (raw as unknown as RequestInit['body'])
            : body === undefined
              ? undefined
              : JSON.stringify(body),
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), this.#inFlight.signal]),
      });
      // The body is part of the answer: a connection cut mid-body is still "no answer".
      text = await res.text();
    } catch (err) {
      const untrusted = tlsCode(err);
      if (untrusted)
        throw new CentralClientError(
          'OFFLINE',
          `${UNTRUSTED_CENTRAL_MESSAGE} (${method} ${path}: ${untrusted})`,
          undefined,
          'CENTRAL_TLS_UNTRUSTED',
        );
      const e = err as Error & { cause?: { code?: string } };
      const why = e.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : (e.cause?.code ?? e.message);
      throw new CentralClientError('OFFLINE', `central unreachable (${method} ${path}): ${why}`);
    }
    if (res.status === 304)
      return { status: 304, etag: res.headers.get('etag') ?? etag ?? null, notModified: true, value: undefined };
    if (!res.ok) {
      const parsed = ErrorBody.safeParse(safeJson(text));
      const code = parsed.success ? parsed.data.error.code : undefined;
      const message = `central ${res.status} on ${method} ${path}: ${parsed.success ? parsed.data.error.message : text.slice(0, 200)}`;
      const kind: CentralErrorKind =
        res.status === 401 || res.status === 403
          ? 'UNAUTHORIZED'
          : res.status >= 500 || res.status === 429
            ? 'CENTRAL_ERROR'
            : 'REJECTED';
      throw new CentralClientError(
        kind,
        message,
        res.status,
        code,
        parseRetryAfter(res.headers.get('retry-after')),
        parsed.success ? parsed.data.error.details : undefined,
      );
    }
    const value = schema.safeParse(safeJson(text));
    if (!value.success)
      throw new CentralClientError(
        'CENTRAL_ERROR',
        `central sent an unexpected answer to ${method} ${path}: ${value.error.issues[0]?.message ?? ''}`,
        res.status,
      );
    return { status: res.status, etag: res.headers.get('etag'), notModified: false, value: value.data };
  }

  async health(timeoutMs?: number) {
    return (await this.request('GET', '/health', HealthResponse, { auth: false, ...(timeoutMs ? { timeoutMs } : {}) }))
      .value!;
  }

  async offices() {
    return (await this.request('GET', '/v1/offices', OfficeListResponse, { auth: false })).value!;
  }

  async enrol(body: EnrolRequest) {
    return (await this.request('POST', '/v1/enrol', EnrolResponse, { auth: false, body })).value!;
  }

  async batch(body: BatchRequest) {
    return (await this.request('POST', '/v1/batch', BatchResponse, { body })).value!;
  }

  async reconcile(body: ReconcileRequest) {
    return (await this.request('POST', '/v1/sync/reconcile', ReconcileResponse, { body })).value!;
  }
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};
