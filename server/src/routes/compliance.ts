import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FINDING_SEVERITIES } from '@zhengban/protocol';
import { BUREAU_ADMIN_ROLES, ADMIN_ROLES, readAccess, sessionAccess, writeAccess } from '../access/policy.ts';
import { machineRef, orgRef } from '../access/references.ts';
import { loadRuleSet } from '../catalog/queries.ts';
import { COMPLIANCE_DEFINITIONS } from '../compliance/definitions.ts';
import { computeRates, getPosition, listFindings, listPositions, RATE_GROUPINGS } from '../compliance/queries.ts';
import { countOpenFindings } from '../compliance/finding-counts.ts';
import { getComplianceSettings, saveComplianceSettings } from '../compliance/settings.ts';
import { notFound } from '../errors.ts';
import { requestScope } from '../plugins/access.ts';
import { LineText, PageQuery, Uuid } from './schemas.ts';

const ProductId = LineText.min(1).max(64);

/** /api/positions, /api/findings, /api/compliance — licence positions, findings, rates, definitions, settings. */
export default async function complianceRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['compliance'];

  app.get(
    '/api/positions',
    {
      config: { access: readAccess({ refs: { querystring: { orgId: orgRef } } }) },
      schema: { tags, summary: 'Licence positions (unit x product) in your scope', querystring: z.object({ orgId: Uuid.optional(), product: ProductId.optional(), shortfall: z.enum(['true', 'false']).optional() }) },
    },
    async (request) => ({
      positions: await listPositions(app.db, requestScope(request), { orgId: request.query.orgId, productId: request.query.product, shortfallOnly: request.query.shortfall === 'true' }),
    }),
  );

  app.get(
    '/api/positions/:orgId/detail',
    {
      config: { access: readAccess({ refs: { params: { orgId: orgRef } } }) },
      schema: { tags, summary: 'One position with the machines behind each number and the licences covering them', params: z.object({ orgId: Uuid }), querystring: z.object({ product: ProductId }) },
    },
    async (request) => {
      const position = await getPosition(app.db, request.params.orgId.toLowerCase(), request.query.product);
      if (!position) throw notFound('position.not-found', `no position for ${request.query.product} in that unit`);
      return { position };
    },
  );

  app.get(
    '/api/findings',
    {
      config: { access: readAccess({ refs: { querystring: { orgId: orgRef, machineId: machineRef } } }) },
      schema: {
        tags,
        summary: 'Findings of machines in your scope (open ones unless closed=true), newest first: one page and the total that match',
        querystring: PageQuery.extend({
          orgId: Uuid.optional(),
          machineId: Uuid.optional(),
          code: LineText.max(64).optional(),
          severity: z.enum(FINDING_SEVERITIES).optional(),
          hostname: LineText.max(253).optional(),
          closed: z.enum(['true', 'false']).optional(),
        }),
      },
    },
    async (request) => {
      const { closed, hostname, ...filter } = request.query;
      return listFindings(app.db, requestScope(request), { ...filter, hostname: hostname?.trim() || undefined, includeClosed: closed === 'true' });
    },
  );

  app.get(
    '/api/findings/counts',
    {
      config: { access: readAccess({ refs: { querystring: { orgId: orgRef } } }) },
      schema: { tags, summary: 'Open findings in your scope counted by code and severity, with the machines they touch', querystring: z.object({ orgId: Uuid.optional() }) },
    },
    async (request) => ({ counts: await countOpenFindings(app.db, requestScope(request), { orgId: request.query.orgId?.toLowerCase() }) }),
  );

  app.get(
    '/api/compliance/rates',
    {
      config: { access: readAccess() },
      schema: { tags, summary: 'Compliance rate and domestic-software rates by unit, region or sector', querystring: z.object({ by: z.enum(RATE_GROUPINGS).default('unit') }) },
    },
    async (request) => {
      const { ruleSet } = await loadRuleSet(app.db);
      return { by: request.query.by, rows: await computeRates(app.db, requestScope(request), request.query.by, ruleSet) };
    },
  );

  app.get(
    '/api/compliance/definitions',
    { config: { access: sessionAccess() }, schema: { tags, summary: 'How every compliance number is defined (zh and en), for display next to it' } },
    async () => COMPLIANCE_DEFINITIONS,
  );

  app.get(
    '/api/compliance/settings/:orgId',
    {
      config: { access: readAccess({ refs: { params: { orgId: orgRef } } }) },
      schema: { tags, summary: "An org's approved KMS hosts and alert webhook", params: z.object({ orgId: Uuid }) },
    },
    async (request) => ({ settings: await getComplianceSettings(app.db, request.params.orgId.toLowerCase()) }),
  );

  app.put(
    '/api/compliance/settings/:orgId',
    {
      config: { access: writeAccess({ roles: ADMIN_ROLES, refs: { params: { orgId: orgRef } } }) },
      schema: {
        tags,
        summary: 'Set approved KMS hosts (unit or bureau) and the alert webhook (bureau admins); findings are recomputed at once',
        params: z.object({ orgId: Uuid }),
        body: z.object({
          approvedKmsHosts: z.array(LineText.trim().min(1).max(255)).max(100),
          webhookUrl: z.url({ protocol: /^https?$/ }).max(1000).nullable().optional(),
        }),
      },
    },
    async (request) => {
      const scope = requestScope(request);
      const webhookAllowed = (BUREAU_ADMIN_ROLES as readonly string[]).includes(scope.viewer.role);
      return {
        settings: await saveComplianceSettings(app.db, scope.viewer.userId, request.params.orgId.toLowerCase(), request.body, { webhookAllowed }),
      };
    },
  );
}
