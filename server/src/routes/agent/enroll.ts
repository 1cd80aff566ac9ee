import type { FastifyInstance } from 'fastify';
import { EnrollRequest, type EnrollResponse } from '@zhengban/protocol';
import { enrollAgent } from '../../agents/enroll.ts';
import { parseRequest } from '../validate.ts';

/** POST /agent/enroll — trade an enrolment token for agent credentials (protocol EnrollRequest -> EnrollResponse). */
export default async function enrollRoutes(app: FastifyInstance): Promise<void> {
  app.post('/agent/enroll', async (request): Promise<EnrollResponse> => {
    const body = parseRequest(EnrollRequest, request.body, 'body');
    const response = await enrollAgent(app.db, body);
    request.log.info({ agentId: response.agentId, unitId: response.unitId, hostname: body.hostname }, 'agent enrolled');
    return response;
  });
}
