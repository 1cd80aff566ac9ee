import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ADMIN_ROLES, BUREAU_ADMIN_ROLES, readAccess, writeAccess } from '../access/policy.ts';
import { orgRef } from '../access/references.ts';
import { actorOf } from '../audit/record.ts';
import { ORG_KINDS } from '../db/schema.ts';
import { notFound } from '../errors.ts';
import { OrgFields, Sector } from '../orgs/fields.ts';
import { commitUnitImport, planUnitImport } from '../orgs/import/service.ts';
import { getOrgView, listOrgs } from '../orgs/queries.ts';
import { SECTORS, sectorDeadlineYear } from '../orgs/sectors.ts';
import { createOrg, deleteOrg, moveOrg, updateOrg } from '../orgs/service.ts';
import { requestScope } from '../plugins/access.ts';
import { LineText, Uuid } from './schemas.ts';

const IdParams = z.object({ id: Uuid });
const OrgKind = z.enum(ORG_KINDS);
/** Files up to 8 MiB, base64 in JSON (the dashboard reads the chosen file and sends it whole). */
const MAX_IMPORT_FILE_BYTES = 8 * 1024 * 1024;
const ImportBody = z.object({
  format: z.enum(['csv', 'xlsx'], { error: 'format must be csv or xlsx' }),
  content: z.base64('content must be the file in base64').max(Math.ceil(MAX_IMPORT_FILE_BYTES / 3) * 4, 'the file is larger than 8 MiB'),
});

/**
 * /api/orgs — the org tree (bureaus, zones, units) within the caller's scope: list, read, create,
 * change, move a subtree, delete an empty org, import units from XLSX or CSV (preview, then all
 * rows or none). /api/sectors — the sectors and their deadlines.
 */
export default async function orgRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['orgs'];

  app.get(
    '/api/sectors',
    { config: { access: readAccess() }, schema: { tags, summary: 'Sectors (行业) and the year by which each must be fully genuine' } },
    async () => ({ sectors: SECTORS.map((sector) => ({ ...sector, deadlineYear: sectorDeadlineYear(sector) })) }),
  );

  app.get(
    '/api/orgs',
    {
      config: { access: readAccess({ refs: { querystring: { parentId: orgRef } } }) },
      schema: {
        tags,
        summary: 'Orgs in your scope, parents before children',
        querystring: z.object({
          parentId: Uuid.optional(),
          kind: OrgKind.optional(),
          sector: Sector.optional(),
          q: LineText.max(200).optional(),
          limit: z.coerce.number().int().min(1).max(5000).default(1000),
          offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
        }),
      },
    },
    async (request) => {
      const { limit, offset, ...filter } = request.query;
      return { ...(await listOrgs(app.db, requestScope(request), filter, { limit, offset })), limit, offset };
    },
  );

  app.get(
    '/api/orgs/:id',
    { config: { access: readAccess({ refs: { params: { id: orgRef } } }) }, schema: { tags, summary: 'One org', params: IdParams } },
    async (request) => {
      const org = await getOrgView(app.db, request.params.id);
      if (!org) throw notFound('org.not-found', `no org ${request.params.id} in your scope`);
      return { org };
    },
  );

  app.post(
    '/api/orgs',
    {
      config: { access: writeAccess({ roles: BUREAU_ADMIN_ROLES, refs: { body: { parentId: orgRef } } }) },
      schema: { tags, summary: 'Create a bureau, zone or unit under an org in your scope', body: OrgFields.extend({ parentId: Uuid, kind: OrgKind }) },
    },
    async (request, reply) => {
      const { id } = await createOrg(app.db, actorOf(request), request.body);
      return reply.code(201).send({ org: await getOrgView(app.db, id) });
    },
  );

  app.patch(
    '/api/orgs/:id',
    {
      config: { access: writeAccess({ roles: ADMIN_ROLES, refs: { params: { id: orgRef } } }) },
      schema: { tags, summary: "Change an org's fields (unit admins: contacts only)", params: IdParams, body: OrgFields.partial() },
    },
    async (request) => {
      await updateOrg(app.db, requestScope(request), actorOf(request), request.params.id, request.body);
      return { org: await getOrgView(app.db, request.params.id) };
    },
  );

  app.post(
    '/api/orgs/:id/move',
    {
      config: { access: writeAccess({ roles: BUREAU_ADMIN_ROLES, refs: { params: { id: orgRef }, body: { parentId: orgRef } } }) },
      schema: { tags, summary: 'Move an org and its subtree under another org in your scope', params: IdParams, body: z.object({ parentId: Uuid }) },
    },
    async (request) => {
      await moveOrg(app.db, requestScope(request), actorOf(request), request.params.id, request.body.parentId);
      return { org: await getOrgView(app.db, request.params.id) };
    },
  );

  app.delete(
    '/api/orgs/:id',
    {
      config: { access: writeAccess({ roles: BUREAU_ADMIN_ROLES, refs: { params: { id: orgRef } } }) },
      schema: { tags, summary: 'Delete an org that holds nothing any more (409 says what it still holds)', params: IdParams },
    },
    async (request) => {
      await deleteOrg(app.db, requestScope(request), actorOf(request), request.params.id);
      return { deleted: true };
    },
  );

  const importOptions = (summary: string) => ({
    config: { access: writeAccess({ roles: BUREAU_ADMIN_ROLES, refs: { params: { id: orgRef } } }) },
    bodyLimit: MAX_IMPORT_FILE_BYTES * 2,
    schema: { tags, summary, params: IdParams, body: ImportBody },
  });
  const fileOf = (body: z.infer<typeof ImportBody>) => ({ format: body.format, bytes: Buffer.from(body.content, 'base64') });

  app.post(
    '/api/orgs/:id/units/import/preview',
    importOptions('Check a unit list (XLSX or CSV, Chinese headings): what each row would do, and every problem; writes nothing'),
    async (request) => planUnitImport(app.db, requestScope(request), fileOf(request.body)),
  );

  app.post(
    '/api/orgs/:id/units/import',
    importOptions('Import a unit list under this org: all rows or none (400 with every problem)'),
    async (request) => ({
      imported: await commitUnitImport(app.db, requestScope(request), actorOf(request), request.params.id, fileOf(request.body)),
    }),
  );
}
