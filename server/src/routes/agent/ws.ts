import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AGENT_AUTH_SCHEME } from '@zhengban/protocol';
import { publicAccess } from '../../access/policy.ts';
import { authenticateAgent, type AgentPrincipal } from '../../agents/credentials.ts';
import { recordAgentAddress } from '../../agents/queries.ts';
import { serveAgentConnection } from '../../agent-socket/connection.ts';
import { unauthorized } from '../../errors.ts';

/** How often the server pings agent sockets to find dead ones. */
export const PING_INTERVAL_MS = 30_000;

declare module 'fastify' {
  interface FastifyRequest {
    /** The agent authenticated on a /agent/ws upgrade. */
    agentPrincipal: AgentPrincipal | null;
  }
}

/**
 * GET /agent/ws — the agent's WebSocket. Credentials are checked in preValidation, which runs
 * before the upgrade: a caller without valid credentials gets a plain HTTP 401, never a socket.
 */
export default async function agentSocketRoutes(app: FastifyInstance): Promise<void> {
  const connections = app.agentConnections;
  const heartbeat = setInterval(() => connections.ping(), PING_INTERVAL_MS);
  heartbeat.unref();
  app.addHook('onClose', async () => clearInterval(heartbeat));
  app.decorateRequest('agentPrincipal', null);

  app.get(
    '/agent/ws',
    {
      websocket: true,
      config: { access: publicAccess('agents authenticate with their secret before the upgrade') },
      schema: { tags: ['agent'], summary: 'Agent WebSocket (Authorization: Agent <id>:<secret>); 401 before the upgrade when refused' },
      preValidation: async (request: FastifyRequest, reply) => {
        const result = await authenticateAgent(app.db, request.headers.authorization);
        if (!result.ok) {
          reply.header('www-authenticate', AGENT_AUTH_SCHEME);
          throw unauthorized(result.code, result.message);
        }
        request.agentPrincipal = result.agent;
      },
    },
    (socket, request) => {
      const agent = request.agentPrincipal!;
      connections.add(agent.agentId, socket);
      // Not awaited: the address is a search aid and must never hold up the connection.
      recordAgentAddress(app.db, agent.agentId, request.ip).catch((error: unknown) => request.log.warn({ err: error }, 'recording the agent address failed'));
      serveAgentConnection(socket, { db: app.db, frames: app.frameParser, ingest: app.ingest, agent, maxFrameBytes: app.config.maxFrameBytes, log: request.log });
    },
  );
}
