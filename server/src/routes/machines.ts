import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readAccess, writeAccess } from '../access/policy.ts';
import { machineRef, orgRef } from '../access/references.ts';
import { actorOf } from '../audit/record.ts';
import { moveMachine } from '../machines/move.ts';
import machineRegistrationRoutes from './machine-registration.ts';
import { notFound } from '../errors.ts';
import { requestScope } from '../plugins/access.ts';
import { listMachinePage } from '../machines/list.ts';
import { getMachineDetail } from '../machines/queries.ts';
import { MachineListParams } from './machine-list-params.ts';
import { Uuid } from './schemas.ts';

const MachineParams = z.object({ id: z.uuid('machine id must be a UUID') });

/** /api/machines — the machines in the caller's scope, and one machine in full. */
export default async function machineRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/machines',
    {
      config: { access: readAccess({ refs: { querystring: { orgId: orgRef } } }) },
      schema: { tags: ['machines'], summary: 'Machines in your scope: search, filters, sorting, a page at a time', querystring: MachineListParams },
    },
    async (request) => {
      const query = request.query;
      const result = await listMachinePage(app.db, requestScope(request), { ...query, orgId: query.orgId?.toLowerCase() });
      return { ...result, limit: query.limit, offset: query.offset, sort: query.sort, order: query.order };
    },
  );

  app.get(
    '/api/machines/:id',
    {
      config: { access: readAccess({ refs: { params: { id: machineRef } } }) },
      schema: { tags: ['machines'], summary: 'One machine: OS, activation, hardware, office suites, findings, agents, software', params: MachineParams },
    },
    async (request) => {
      const machine = await getMachineDetail(app.db, requestScope(request), request.params.id.toLowerCase());
      // The access plugin already checked the id; a machine deleted in between still answers 404.
      if (!machine) throw notFound('machine.not-found', `no machine ${request.params.id} in your scope`);
      return { machine };
    },
  );

  app.post(
    '/api/machines/:id/move',
    {
      config: { access: writeAccess({ refs: { params: { id: machineRef }, body: { orgId: orgRef } } }) },
      schema: { tags: ['machines'], summary: 'Move a machine (with its agents and findings) to another org in your scope; both units are recomputed', params: MachineParams, body: z.object({ orgId: Uuid }) },
    },
    async (request) => moveMachine(app.db, actorOf(request), request.params.id.toLowerCase(), request.body.orgId),
  );

  // Registering machines without agents, the import, retiring and restoring (issue #6).
  await machineRegistrationRoutes(fastify);
}
