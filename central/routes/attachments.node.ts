import { createHash } from 'node:crypto';
import {
  ATTACHMENT_CHUNK_BYTES,
  OfficerAttachmentList,
  SHA256_RE,
  UploadQuery,
  type UploadState,
} from '../../protocol/attachments.ts';
import { ChecksumMismatch, OffsetMismatch } from '../attachments/store.node.ts';
import { deviceOf, officerOf, type CentralRoute } from '../context.node.ts';
import { HttpError } from '../http.node.ts';
import { scoped } from '../scope.node.ts';

const ANY_OFFICER = { officer: { roles: [] as const } };

const shaParam = (raw: string): string => {
  if (!SHA256_RE.test(raw)) throw new HttpError(400, 'BAD_REQUEST', 'the path must name a lower-case hex SHA-256');
  return raw;
};

/**
 * Attachments (issue 16). Kiosks: `GET /v1/attachments/:sha256` (how much central holds) and
 * `PUT /v1/attachments/:sha256?offset=&total=` (one chunk, `application/octet-stream`, ≤ 256 KiB,
 * its SHA-256 in `x-chunk-sha256`; the last one makes central check the whole file). Officers:
 * `GET /v1/officer/dossiers/:code/attachments` and `…/:docId` (the PDF), own office only.
 */
export const route: CentralRoute = {
  name: 'attachments',
  register(app, ctx) {
    app.register(async (scope) => {
      scope.addContentTypeParser(
        'application/octet-stream',
        { parseAs: 'buffer', bodyLimit: ATTACHMENT_CHUNK_BYTES },
        (_req, body, done) => done(null, body),
      );

      scope.get<{ Params: { sha256: string } }>('/v1/attachments/:sha256', async (req): Promise<UploadState> => {
        const device = deviceOf(req);
        return ctx.attachments.state(shaParam(req.params.sha256), device.id);
      });

      scope.put<{ Params: { sha256: string }; Querystring: Record<string, string> }>(
        '/v1/attachments/:sha256',
        { bodyLimit: ATTACHMENT_CHUNK_BYTES },
        async (req): Promise<UploadState> => {
          const device = deviceOf(req);
          const sha = shaParam(req.params.sha256);
          const q = UploadQuery.safeParse(req.query);
          if (!q.success) throw new HttpError(400, 'BAD_REQUEST', `offset and total: ${q.error.issues[0]?.message}`);
          const chunk = req.body;
          if (!Buffer.isBuffer(chunk) || chunk.length === 0)
            throw new HttpError(400, 'BAD_REQUEST', 'the body must be application/octet-stream bytes');
          const declared = req.headers['x-chunk-sha256'];
          const got = createHash('sha256').update(chunk).digest('hex');
          if (declared !== got)
            throw new HttpError(400, 'CHECKSUM_MISMATCH', 'x-chunk-sha256 does not match the chunk received');
          try {
            return await ctx.attachments.append(sha, device.id, q.data.offset, q.data.total, chunk);
          } catch (e) {
            if (e instanceof OffsetMismatch)
              throw new HttpError(409, 'CONFLICT', `central holds ${e.state.offset} bytes; send from there`);
            if (e instanceof ChecksumMismatch) throw new HttpError(422, 'CHECKSUM_MISMATCH', e.message);
            throw e;
          }
        },
      );
    });

    app.get<{ Params: { code: string } }>(
      '/v1/officer/dossiers/:code/attachments',
      { config: ANY_OFFICER },
      async (req): Promise<OfficerAttachmentList> => {
        const { officer } = officerOf(req);
        const dossier = await scoped(officer).dossier(ctx.store, req.params.code.trim());
        if (!dossier) throw new HttpError(404, 'NOT_FOUND', `no dossier ${req.params.code.slice(0, 60)}`);
        const rows = await ctx.store.all<{
          doc_id: string;
          title: string;
          sha256: string;
          bytes: number;
          pages: number;
        }>(
          'SELECT doc_id, title, sha256, bytes, pages FROM dossier_attachments WHERE dossier_code = ? AND office_id = ? ORDER BY doc_id',
          [dossier.code, officer.officeId],
        );
        return {
          dossierCode: dossier.code,
          attachments: await Promise.all(
            rows.map(async (r) => ({
              docId: r.doc_id,
              title: r.title,
              sha256: r.sha256,
              bytes: Number(r.bytes),
              pages: Number(r.pages),
              received: await ctx.attachments.has(r.sha256),
            })),
          ),
        };
      },
    );

    app.get<{ Params: { code: string; docId: string } }>(
      '/v1/officer/dossiers/:code/attachments/:docId',
      { config: ANY_OFFICER },
      async (req, reply) => {
        const { officer } = officerOf(req);
        const dossier = await scoped(officer).dossier(ctx.store, req.params.code.trim());
        if (!dossier) throw new HttpError(404, 'NOT_FOUND', `no dossier ${req.params.code.slice(0, 60)}`);
        const row = await ctx.store.get<{ sha256: string; bytes: number }>(
          'SELECT sha256, bytes FROM dossier_attachments WHERE dossier_code = ? AND office_id = ? AND doc_id = ?',
          [dossier.code, officer.officeId, req.params.docId],
        );
        if (!row)
          throw new HttpError(
            404,
            'NOT_FOUND',
            `dossier ${dossier.code} has no document ${req.params.docId.slice(0, 40)}`,
          );
        if (!(await ctx.attachments.has(row.sha256)))
          throw new HttpError(409, 'NOT_RECEIVED', 'the kiosk has not finished sending this document yet');
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `inline; filename="${dossier.code}-${req.params.docId}.pdf"`)
          .header('cache-control', 'private, no-store')
          .header('x-content-sha256', row.sha256)
          .send(ctx.attachments.stream(row.sha256));
      },
    );
  },
};
