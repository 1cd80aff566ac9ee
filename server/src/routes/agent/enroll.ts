import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { EnrollRequest, type EnrollResponse } from '@zhengban/protocol';
import { publicAccess } from '../../access/policy.ts';
import { enrollAgent } from '../../agents/enroll.ts';
import { recordAgentAddress } from '../../agents/queries.ts';

/** POST /agent/enroll — trade an enrolment token for agent credentials (protocol EnrollRequest -> EnrollResponse). */
export default async function enrollRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/agent/enroll',
    {
      config: { access: publicAccess('agents authenticate with an enrolment token in the body') },
      schema: { tags: ['agent'], summary: 'Trade an enrolment token for agent credentials (the secret is shown once)', body: EnrollRequest },
    },
    async (request): Promise<EnrollResponse> => {
      const response = await enrollAgent(app.db, request.body);
      await recordAgentAddress(app.db, response.agentId, request.ip);
      request.log.info({ agentId: response.agentId, unitId: response.unitId, hostname: request.body.hostname }, 'agent enrolled');
      return response;
    },
  );
}
