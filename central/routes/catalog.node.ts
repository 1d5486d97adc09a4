import { getFirstDocument, officeCatalogName } from '../admin.node.ts';
import { deviceOf, type CentralRoute } from '../context.node.ts';
import { HttpError, sendWithEtag } from '../http.node.ts';

/**
 * Serves the procedure catalog as stored by `setCatalog` (central/admin.node.ts); its model is
 * `protocol/catalog.ts`. The body is sent as stored so the ETag is stable.
 */
export const route: CentralRoute = {
  name: 'catalog',
  register(app, ctx) {
    app.get('/v1/catalog', async (req, reply) => {
      // The office's own imported catalog (issue 14, docs/admin.md), else the province's.
      const doc = await getFirstDocument(ctx.store, [officeCatalogName(deviceOf(req).officeId), 'catalog']);
      if (!doc) throw new HttpError(404, 'NOT_FOUND', 'no catalog published yet');
      reply.header('Last-Modified', new Date(doc.updatedAt).toUTCString());
      return sendWithEtag(req, reply, doc.etag, doc.json);
    });
  },
};
