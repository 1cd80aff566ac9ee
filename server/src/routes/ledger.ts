import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readAccess, writeAccess } from '../access/policy.ts';
import { machineRef, orgRef } from '../access/references.ts';
import { loadRuleSet } from '../catalog/queries.ts';
import { AppError, notFound } from '../errors.ts';
import { addAttachment, ATTACHMENT_CONTENT_TYPES, MAX_ATTACHMENT_BYTES, openAttachment } from '../ledger/attachments.ts';
import { LicenceFields } from '../ledger/licence-input.ts';
import { getLicence, listLicences } from '../ledger/queries.ts';
import { attachmentRef, licenceRef } from '../ledger/references.ts';
import { createLicence, deleteLicence, importLicences, LicenceRejected, updateLicence } from '../ledger/service.ts';
import { parseLedgerWorkbook } from '../ledger/xlsx-import.ts';
import { requestScope } from '../plugins/access.ts';
import { LineText, PageQuery, Uuid } from './schemas.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const LicenceParams = z.object({ licenceId: Uuid });

/** A refused licence answers 400 with every problem, field by field. */
function rejected(error: LicenceRejected): AppError {
  const appError = new AppError(400, 'licence.invalid', error.message);
  return Object.assign(appError, { problems: error.problems });
}

/**
 * /api/licences — the licence ledger (授权台账): list, read, create, change, delete, XLSX import
 * (all rows or none, problems per row), attachments (uploaded as the raw request body).
 */
export default async function ledgerRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['ledger'];
  // Files arrive as the raw body with their own content type (no multipart dependency).
  app.addContentTypeParser([...ATTACHMENT_CONTENT_TYPES.filter((t) => t !== XLSX), XLSX, 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: MAX_ATTACHMENT_BYTES }, (_request, body, done) => done(null, body));

  app.get(
    '/api/licences',
    {
      config: { access: readAccess({ refs: { querystring: { orgId: orgRef } } }) },
      schema: { tags, summary: 'Licences in your scope, newest first', querystring: PageQuery.extend({ orgId: Uuid.optional(), product: LineText.max(64).optional() }) },
    },
    async (request) => listLicences(app.db, requestScope(request), { ...request.query, productId: request.query.product }),
  );

  app.get(
    '/api/licences/:licenceId',
    { config: { access: readAccess({ refs: { params: { licenceId: licenceRef } } }) }, schema: { tags, summary: 'One licence with its OEM machines and attachments', params: LicenceParams } },
    async (request) => {
      const licence = await getLicence(app.db, request.params.licenceId.toLowerCase());
      if (!licence) throw notFound('licence.not-found', `no licence ${request.params.licenceId}`);
      return { licence };
    },
  );

  app.post(
    '/api/licences',
    {
      config: { access: writeAccess({ refs: { body: { orgId: orgRef, boundMachineIds: machineRef } } }) },
      schema: { tags, summary: 'Record a purchase; positions are recomputed at once', body: LicenceFields.extend({ orgId: Uuid }) },
    },
    async (request, reply) => {
      const { orgId, ...fields } = request.body;
      try {
        const licence = await createLicence(app.db, requestScope(request).viewer.userId, orgId.toLowerCase(), fields);
        return reply.code(201).send({ licence });
      } catch (error) {
        throw error instanceof LicenceRejected ? rejected(error) : error;
      }
    },
  );

  app.put(
    '/api/licences/:licenceId',
    {
      config: { access: writeAccess({ refs: { params: { licenceId: licenceRef }, body: { boundMachineIds: machineRef } } }) },
      schema: { tags, summary: 'Change a licence (all fields); positions are recomputed at once', params: LicenceParams, body: LicenceFields },
    },
    async (request) => {
      try {
        return { licence: await updateLicence(app.db, requestScope(request).viewer.userId, request.params.licenceId.toLowerCase(), request.body) };
      } catch (error) {
        throw error instanceof LicenceRejected ? rejected(error) : error;
      }
    },
  );

  app.delete(
    '/api/licences/:licenceId',
    { config: { access: writeAccess({ refs: { params: { licenceId: licenceRef } } }) }, schema: { tags, summary: 'Delete a licence', params: LicenceParams } },
    async (request, reply) => {
      await deleteLicence(app.db, requestScope(request).viewer.userId, request.params.licenceId.toLowerCase());
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/licences/import',
    {
      config: { access: writeAccess({ refs: { querystring: { orgId: orgRef } } }) },
      schema: { tags, summary: 'Import licences from an XLSX sheet (request body); all rows or none', querystring: z.object({ orgId: Uuid }) },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) throw new AppError(415, 'ledger.import-type', `send the XLSX file as the request body with Content-Type ${XLSX}`);
      const { ruleSet } = await loadRuleSet(app.db);
      const parsed = await parseLedgerWorkbook(request.body, ruleSet);
      const orgId = request.query.orgId.toLowerCase();
      const result = parsed.problems.length ? { imported: 0, problems: parsed.problems } : await importLicences(app.db, requestScope(request).viewer.userId, orgId, parsed.rows);
      return reply.code(result.problems.length ? 422 : 201).send(result);
    },
  );

  app.post(
    '/api/licences/:licenceId/attachments',
    {
      config: { access: writeAccess({ refs: { params: { licenceId: licenceRef } } }) },
      schema: { tags, summary: `Attach a file (raw body; ${ATTACHMENT_CONTENT_TYPES.join(', ')}; at most ${MAX_ATTACHMENT_BYTES} bytes)`, params: LicenceParams, querystring: z.object({ fileName: LineText.trim().min(1).max(255) }) },
    },
    async (request, reply) => {
      const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!Buffer.isBuffer(request.body) || !(ATTACHMENT_CONTENT_TYPES as readonly string[]).includes(contentType)) {
        throw new AppError(415, 'attachment.type', `attach one of ${ATTACHMENT_CONTENT_TYPES.join(', ')} as the request body`);
      }
      const attachment = await addAttachment(app.db, app.config.dataDir, {
        actorUserId: requestScope(request).viewer.userId,
        licenceId: request.params.licenceId.toLowerCase(),
        fileName: request.query.fileName,
        contentType,
        data: request.body,
      });
      return reply.code(201).send({ attachment });
    },
  );

  app.get(
    '/api/attachments/:attachmentId',
    { config: { access: readAccess({ refs: { params: { attachmentId: attachmentRef } } }) }, schema: { tags, summary: 'Download an attachment', params: z.object({ attachmentId: Uuid }) } },
    async (request, reply) => {
      const { row, stream } = await openAttachment(app.db, app.config.dataDir, request.params.attachmentId.toLowerCase());
      return reply
        .header('content-type', row.contentType)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(row.fileName)}`)
        .header('x-content-sha256', row.sha256)
        .send(stream);
    },
  );
}
