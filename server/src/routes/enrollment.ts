import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { STAFF_ROLES, readAccess, writeAccess } from '../access/policy.ts';
import { agentRef, enrollmentTokenRef, machineRef, orgRef } from '../access/references.ts';
import { getEnrollmentTokenView, issueEnrollmentToken, listAgents, listEnrollmentTokens, revokeAgent, revokeToken, rotateAgentSecret, type DisconnectAgent } from '../agents/admin.ts';
import { CLOSE_REVOKED } from '../agent-socket/registry.ts';
import { actorOf } from '../audit/record.ts';
import { requestScope } from '../plugins/access.ts';
import { LineText, Uuid } from './schemas.ts';

const IdParams = z.object({ id: Uuid });

/**
 * /api/enrollment-tokens — per-unit enrolment tokens (expiry, use limit, revocation; the token text
 * is shown once, at creation). /api/agents — enrolled agents: revoke (the live socket closes at
 * once) and rotate the secret (the new one is shown once).
 */
export default async function enrollmentRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const disconnect: DisconnectAgent = (agentId, reason) => {
    app.agentConnections.disconnect(agentId, CLOSE_REVOKED, reason === 'revoked' ? 'agent revoked' : 'agent secret rotated');
  };

  app.get(
    '/api/enrollment-tokens',
    {
      config: { access: readAccess({ roles: STAFF_ROLES, refs: { querystring: { orgId: orgRef } } }) },
      schema: { tags: ['enrolment'], summary: 'Enrolment tokens of orgs in your scope (never the token text)', querystring: z.object({ orgId: Uuid.optional(), activeOnly: z.stringbool().optional() }) },
    },
    async (request) => ({ tokens: await listEnrollmentTokens(app.db, requestScope(request), request.query) }),
  );

  app.post(
    '/api/enrollment-tokens',
    {
      config: { access: writeAccess({ refs: { body: { orgId: orgRef } } }) },
      schema: {
        tags: ['enrolment'],
        summary: 'Issue an enrolment token for an org in your scope; the token is in this answer only',
        body: z.object({
          orgId: Uuid,
          label: LineText.trim().min(1, 'enter a label (what the token is for)').max(128),
          /** Hours until it expires; null = never. */
          expiresInHours: z.number().int().min(1).max(24 * 366).nullable().default(24 * 7),
          /** Enrolments allowed; null = unlimited. */
          maxUses: z.number().int().min(1).max(1_000_000).nullable().default(null),
        }),
      },
    },
    async (request, reply) => {
      const { orgId, label, expiresInHours, maxUses } = request.body;
      const expiresAt = expiresInHours === null ? null : new Date(Date.now() + expiresInHours * 3_600_000);
      const { id, token } = await issueEnrollmentToken(app.db, actorOf(request), { orgId, label, expiresAt, maxUses });
      const server = app.config.publicUrl ?? `${request.protocol}://${request.host}`;
      return reply.code(201).send({ token: await getEnrollmentTokenView(app.db, id), tokenText: token, enrollCommand: `zhengban-agent enroll --server ${server} --token ${token}` });
    },
  );

  app.post(
    '/api/enrollment-tokens/:id/revoke',
    {
      config: { access: writeAccess({ refs: { params: { id: enrollmentTokenRef } } }) },
      schema: { tags: ['enrolment'], summary: 'Revoke a token: no more enrolments with it (enrolled agents keep working)', params: IdParams },
    },
    async (request) => {
      await revokeToken(app.db, actorOf(request), request.params.id);
      return { token: await getEnrollmentTokenView(app.db, request.params.id) };
    },
  );

  app.get(
    '/api/agents',
    {
      config: { access: readAccess({ roles: STAFF_ROLES, refs: { querystring: { orgId: orgRef, machineId: machineRef } } }) },
      schema: {
        tags: ['agents'],
        summary: 'Agents of orgs in your scope',
        querystring: z.object({ orgId: Uuid.optional(), machineId: Uuid.optional(), includeRevoked: z.stringbool().optional() }),
      },
    },
    async (request) => ({ agents: await listAgents(app.db, requestScope(request), request.query) }),
  );

  app.post(
    '/api/agents/:id/revoke',
    {
      config: { access: writeAccess({ refs: { params: { id: agentRef } } }) },
      schema: { tags: ['agents'], summary: 'Revoke an agent: its socket closes at once, its reports are refused from now on', params: IdParams },
    },
    async (request) => {
      await revokeAgent(app.db, actorOf(request), disconnect, request.params.id);
      return { revoked: true };
    },
  );

  app.post(
    '/api/agents/:id/rotate-secret',
    {
      config: { access: writeAccess({ refs: { params: { id: agentRef } } }) },
      schema: { tags: ['agents'], summary: "Replace an agent's secret; the new one is in this answer only, the old one stops working", params: IdParams },
    },
    async (request) => rotateAgentSecret(app.db, actorOf(request), disconnect, request.params.id),
  );
}
