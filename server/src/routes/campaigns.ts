import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BUREAU_ADMIN_ROLES, STAFF_ROLES, readAccess, writeAccess } from '../access/policy.ts';
import { campaignRef, orgRef, userRef } from '../access/references.ts';
import { actorOf } from '../audit/record.ts';
import { CAMPAIGN_KINDS } from '../db/schema/inspections.ts';
import { notFound } from '../errors.ts';
import { createCampaign, getCampaign, listCampaigns, updateCampaign } from '../inspections/campaigns.ts';
import { requestScope } from '../plugins/access.ts';
import { LineText, Uuid } from './schemas.ts';

const IdParams = z.object({ id: Uuid });
const Day = z.iso.date('must be a date YYYY-MM-DD');
const CampaignBody = z.object({
  orgId: Uuid,
  name: LineText.trim().min(1, 'enter a name').max(200),
  kind: z.enum(CAMPAIGN_KINDS),
  startsOn: Day.nullish().transform((v) => v ?? null),
  endsOn: Day.nullish().transform((v) => v ?? null),
  unitIds: z.array(Uuid).max(2000).default([]),
  inspectorIds: z.array(Uuid).max(200).default([]),
});
const CampaignPatch = z.object({
  name: LineText.trim().min(1).max(200).optional(),
  startsOn: Day.nullish(),
  endsOn: Day.nullish(),
  unitIds: z.array(Uuid).max(2000).optional(),
  inspectorIds: z.array(Uuid).max(200).optional(),
  closed: z.boolean().optional(),
});

/**
 * /api/campaigns — inspection campaigns (核查: 普查 survey, 抽查 spot check): which units they cover
 * and which inspectors work on them. An inspector reads exactly the units of its open campaigns.
 */
export default async function campaignRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['inspections'];

  app.get(
    '/api/campaigns',
    { config: { access: readAccess({ roles: STAFF_ROLES }) }, schema: { tags, summary: 'Campaigns run by orgs in your scope', querystring: z.object({}) } },
    async (request) => ({ campaigns: await listCampaigns(app.db, requestScope(request)) }),
  );

  app.get(
    '/api/campaigns/:id',
    { config: { access: readAccess({ roles: STAFF_ROLES, refs: { params: { id: campaignRef } } }) }, schema: { tags, summary: 'One campaign with its units and inspectors', params: IdParams } },
    async (request) => {
      const campaign = await getCampaign(app.db, request.params.id, requestScope(request));
      if (!campaign) throw notFound('campaign.not-found', `no campaign ${request.params.id} in your scope`);
      return { campaign };
    },
  );

  app.post(
    '/api/campaigns',
    {
      config: { access: writeAccess({ roles: BUREAU_ADMIN_ROLES, refs: { body: { orgId: orgRef, unitIds: orgRef, inspectorIds: userRef } } }) },
      schema: { tags, summary: 'Start a campaign over units in your scope, with inspectors (users with the inspector role)', body: CampaignBody },
    },
    async (request, reply) => {
      const { id } = await createCampaign(app.db, actorOf(request), request.body);
      return reply.code(201).send({ campaign: await getCampaign(app.db, id, requestScope(request)) });
    },
  );

  app.patch(
    '/api/campaigns/:id',
    {
      config: { access: writeAccess({ roles: BUREAU_ADMIN_ROLES, refs: { params: { id: campaignRef }, body: { unitIds: orgRef, inspectorIds: userRef } } }) },
      schema: { tags, summary: 'Rename, re-date, replace units or inspectors, or close a campaign (closing ends its inspectors\' access)', params: IdParams, body: CampaignPatch },
    },
    async (request) => {
      await updateCampaign(app.db, actorOf(request), request.params.id, request.body);
      return { campaign: await getCampaign(app.db, request.params.id, requestScope(request)) };
    },
  );
}
