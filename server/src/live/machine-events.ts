import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { parseAgentAuthorization } from '../agents/credentials.ts';
import { queryRows } from '../db/database.ts';

/** The machine and org path of an agent, for machine events. */
async function getAgentMachine(app: FastifyInstance, agentId: string) {
  const [row] = await queryRows<{ machine_id: string; org_id: string; path: string }>(
    app.db,
    sql`SELECT a.machine_id, a.org_id, o.path FROM agents a JOIN orgs o ON o.id = a.org_id WHERE a.id = ${agentId}::uuid`,
  );
  return row;
}

/**
 * machine.enrolled / machine.online / machine.offline, observed from outside the agent routes so
 * that they stay about the protocol: an enrolment is a 200 answer of POST /agent/enroll (the
 * agent id is read from the answer), online and offline are the open and close of an upgraded
 * /agent/ws socket (only authenticated agents are upgraded; the id comes from its Authorization).
 */
export function watchMachineEvents(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'POST' || request.routeOptions.url !== '/agent/enroll' || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    const agentId = (JSON.parse(payload) as { agentId?: string }).agentId;
    if (agentId) {
      const machine = await getAgentMachine(app, agentId);
      if (machine) await app.publishLive([{ type: 'machine.enrolled', orgId: machine.org_id, orgPath: machine.path, machineId: machine.machine_id }]);
    }
    return payload;
  });

  app.addHook('onReady', async () => {
    app.websocketServer.on('connection', (socket, request) => {
      if (!request.url?.startsWith('/agent/ws')) return;
      const credentials = parseAgentAuthorization(request.headers.authorization);
      if (!credentials) return;
      const machine = getAgentMachine(app, credentials.agentId).catch(() => undefined);
      void machine.then((m) => m && app.publishLive([{ type: 'machine.online', orgId: m.org_id, orgPath: m.path, machineId: m.machine_id }]));
      socket.once('close', () => {
        void machine.then((m) => m && app.publishLive([{ type: 'machine.offline', orgId: m.org_id, orgPath: m.path, machineId: m.machine_id }]));
      });
    });
  });
}
