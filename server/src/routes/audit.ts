import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { STAFF_ROLES, readAccess } from '../access/policy.ts';
import { orgRef, userRef } from '../access/references.ts';
import { auditCsv, auditXlsx } from '../audit/export.ts';
import { listAuditEntries } from '../audit/queries.ts';
import { requestScope } from '../plugins/access.ts';
import { LineText, Uuid } from './schemas.ts';

/** Most entries one export holds; narrow the filter (dates) for more. */
const MAX_EXPORT_ROWS = 100_000;

const AuditFilterQuery = z.object({
  orgId: Uuid.optional(),
  action: LineText.max(64).regex(/^[a-z0-9.-]+$/, 'lower-case dotted action, e.g. user.create or user.').optional(),
  targetType: LineText.max(32).optional(),
  /** The target's id. Not named targetId: it filters entries already in scope and grants nothing, so it is no reference. */
  target: LineText.max(64).optional(),
  userId: Uuid.optional(),
  from: z.iso.datetime({ offset: true, error: 'must be an ISO date-time, e.g. 2026-01-01T00:00:00+08:00' }).optional(),
  to: z.iso.datetime({ offset: true, error: 'must be an ISO date-time, e.g. 2026-02-01T00:00:00+08:00' }).optional(),
});
type AuditFilterQuery = z.infer<typeof AuditFilterQuery>;

const filterOf = ({ target, ...query }: AuditFilterQuery) => ({
  ...query,
  targetId: target,
  from: query.from ? new Date(query.from) : undefined,
  to: query.to ? new Date(query.to) : undefined,
});

/**
 * /api/audit — the audit log of the orgs in the caller's scope: who changed what, when, from where,
 * before and after. Read a page at a time, or export the filtered entries as CSV or XLSX.
 */
export default async function auditRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const access = readAccess({ roles: STAFF_ROLES, refs: { querystring: { orgId: orgRef, userId: userRef } } });

  app.get(
    '/api/audit',
    {
      config: { access },
      schema: {
        tags: ['audit'],
        summary: 'Audit entries in your scope, newest first',
        querystring: AuditFilterQuery.extend({
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
        }),
      },
    },
    async (request) => {
      const { limit, offset, ...query } = request.query;
      return { ...(await listAuditEntries(app.db, requestScope(request), filterOf(query), { limit, offset })), limit, offset };
    },
  );

  app.get(
    '/api/audit/export',
    {
      config: { access },
      schema: { tags: ['audit'], summary: `The filtered audit entries as a CSV or XLSX file (at most ${MAX_EXPORT_ROWS})`, querystring: AuditFilterQuery.extend({ format: z.enum(['csv', 'xlsx']).default('csv') }) },
    },
    async (request, reply) => {
      const { format, ...query } = request.query;
      const { entries } = await listAuditEntries(app.db, requestScope(request), filterOf(query), { limit: MAX_EXPORT_ROWS, offset: 0 });
      const stamp = new Date().toISOString().slice(0, 10);
      reply.header('content-disposition', `attachment; filename="audit-${stamp}.${format}"`);
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(auditCsv(entries));
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await auditXlsx(entries));
    },
  );
}
