import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readAccess, writeAccess } from '../access/policy.ts';
import { orgRef, ownedBy } from '../access/references.ts';
import { acknowledgeAlert, listAlerts } from '../alerts/queries.ts';
import { startAlertSweeps } from '../alerts/scheduler.ts';
import { actorOf } from '../audit/record.ts';
import { requestScope as requestScopeOf } from '../plugins/access.ts';
import { alerts, ALERT_KINDS } from '../db/schema/compliance.ts';
import { PageQuery, Uuid } from './schemas.ts';

/** An alert: owned by its org. */
const alertRef = ownedBy('alert', alerts.id, alerts.orgId);

/**
 * /api/alerts — the in-app alert list (subscriptions ending within 30 days, new shortfalls, new
 * findings, machines silent for 7 days, annual returns not submitted before 10 December), scoped
 * and paged, and acknowledgement (audited). Also
 * starts this process's periodic alert sweep (config.alertSweepSeconds).
 */
export default async function alertRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['alerts'];
  startAlertSweeps(fastify, fastify.config.alertSweepSeconds);

  app.get(
    '/api/alerts',
    {
      config: { access: readAccess({ refs: { querystring: { orgId: orgRef } } }) },
      schema: {
        tags,
        summary: 'Alerts in your scope, newest first (open ones unless acknowledged=true)',
        querystring: PageQuery.extend({ orgId: Uuid.optional(), kind: z.enum(ALERT_KINDS).optional(), acknowledged: z.enum(['true', 'false']).optional() }),
      },
    },
    async (request) => {
      const { acknowledged, orgId, ...rest } = request.query;
      return listAlerts(app.db, requestScopeOf(request), { ...rest, orgId: orgId?.toLowerCase(), includeAcknowledged: acknowledged === 'true' });
    },
  );

  app.post(
    '/api/alerts/:alertId/ack',
    {
      config: { access: writeAccess({ refs: { params: { alertId: alertRef } } }) },
      schema: { tags, summary: 'Acknowledge an alert (audited); it leaves the open list', params: z.object({ alertId: Uuid }) },
    },
    async (request) => ({ alert: await acknowledgeAlert(app.db, request.params.alertId.toLowerCase(), actorOf(request)) }),
  );
}


