import type { NotifyOptions } from './notify/options.node.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { CentralStore, TxSql } from './store/store.node.ts';
import type { OfficerRole, SignInReturnPath } from '../protocol/counter.ts';
import { HttpError } from './http.node.ts';
import type { LiveHub } from './live.node.ts';
import type { CentralMetrics } from './metrics.node.ts';
import type { OfficerSession } from './officers.node.ts';
import type { AttachmentStore } from './attachments/store.node.ts';

/** The authenticated kiosk behind a request. */
export interface Device {
  readonly id: string;
  readonly officeId: string;
  readonly name: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    device?: Device;
    officer?: OfficerSession;
  }
  interface FastifyContextConfig {
    /** Route answers without a device credential (health, office list, enrolment). */
    public?: boolean;
    /**
     * An officer route: needs an officer session (cookie) with one of `roles` (empty: any
     * signed-in officer), the CSRF token on state-changing methods, and only the officer's own
     * office in the path/query. No device credential. The rule lives in server.node.ts.
     */
    officer?: {
      roles: readonly OfficerRole[];
      /** An HTML page for browsers: without a session it redirects to the counter app's sign-in (and back); a wrong role gets a page, not JSON. */
      page?: SignInReturnPath;
    };
  }
}

/** The signed-in officer of an officer route (`config: { officer }`). */
export function officerOf(req: FastifyRequest): OfficerSession {
  if (!req.officer) throw new HttpError(401, 'UNAUTHORIZED', 'sign in first');
  return req.officer;
}

/** The authenticated device of a request (every non-public route has one). */
export function deviceOf(req: FastifyRequest): Device {
  if (!req.device) throw new HttpError(401, 'UNAUTHORIZED', 'device credential required');
  return req.device;
}

export interface IncomingItem<P> {
  readonly key: string;
  readonly kind: string;
  readonly payload: P;
  /** When the kiosk recorded it. */
  readonly createdAt: string;
  /** The kiosk's outbox sequence: arrival order within that kiosk. */
  readonly seq: number;
}

/** Thrown by a batch kind handler: this item will never be accepted as sent. */
export class RejectItem extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RejectItem';
  }
}

/**
 * What a domain does with one outbox item of its kind. `accept` runs inside the batch's
 * transaction (a throw undoes only this item: the batch is then taken item by item, each item in
 * its own savepoint) and returns what the kiosk gets back as `result` (e.g. `{ dossierCode }`);
 * the same result is replayed for duplicates.
 */
export interface BatchKindHandler<S extends z.ZodType = z.ZodType> {
  readonly payload: S;
  accept(q: TxSql, item: IncomingItem<z.output<S>>, device: Device, ctx: CentralContext): Promise<unknown>;
  /**
   * After the batch committed, once per item accepted now (not for duplicates): what must not
   * happen for a transaction rolled back, such as counting (`accept` may run more than once for
   * one item: central/routes/batch.node.ts tries the whole batch at once first).
   */
  committed?(result: unknown, device: Device): void;
}

export interface CentralContext {
  readonly store: CentralStore;
  readonly log: Logger;
  now(): Date;
  readonly version: string;
  /** The payment confirmation hook's credential (null: the hook answers 403 to everyone). */
  paymentHookToken(): string | null;
  /** Pushed updates per office (counter screens, waiting-room displays). */
  readonly live: LiveHub;
  /** Prometheus metrics of this instance (central/metrics.node.ts). */
  readonly metrics: CentralMetrics;
  /** Officer sessions end after this long without a request. */
  readonly officerIdleMs: number;
  /** The built office web apps (counter, display): `renderer/dist` unless told otherwise. */
  readonly webDir: string;
  /** Providers and retry settings for messages before the turn (docs/phone.md). */
  readonly notify: NotifyOptions;
  /** Dossiers' papers, content-addressed (central/attachments/store.node.ts). */
  readonly attachments: AttachmentStore;
  /** How often the background report roll-up looks for a newly closed day (ms; default 60 s). */
  readonly reportRollupCheckMs: number;
  /** Domain owners register their outbox kinds (`ticket.issued`, `dossier.submitted`, …). */
  registerBatchKind<S extends z.ZodType>(kind: string, handler: BatchKindHandler<S>): void;
  batchKind(kind: string): BatchKindHandler | undefined;
}

/** One domain's routes, e.g. `central/routes/tickets.node.ts` exporting `route`. */
export interface CentralRoute {
  readonly name: string;
  register(app: FastifyInstance, ctx: CentralContext): void | Promise<void>;
}
