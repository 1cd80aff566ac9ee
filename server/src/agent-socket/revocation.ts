import type { FastifyInstance } from 'fastify';
import { CLOSE_REVOKED } from './registry.ts';

/**
 * Cuts off revoked agents on every server node. Revoking or rotating an agent's secret publishes
 * an `agent.revoked` live event in its transaction (agents/admin.ts); every node hears it through
 * the database listener (PostgreSQL LISTEN/NOTIFY, or PGlite's in-process one) and closes the
 * agent's socket if it is connected here. The node that handled the request has closed it
 * already; closing twice is harmless.
 */
export function closeRevokedAgentsOnEveryNode(app: FastifyInstance): () => void {
  return app.live.subscribe(['/'], (event) => {
    if (event.type !== 'agent.revoked') return;
    const reason = event.reason === 'revoked' ? 'agent revoked' : 'agent secret rotated';
    if (app.agentConnections.disconnect(event.agentId, CLOSE_REVOKED, reason)) {
      app.log.info({ agentId: event.agentId, reason: event.reason }, 'closed the socket of an agent revoked on another node');
    }
  });
}
