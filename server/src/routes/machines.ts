import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { notFound } from '../errors.ts';
import { getMachineDetail, listMachines } from '../machines/queries.ts';
import { parseRequest } from './validate.ts';

const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});

const MachineParams = z.object({ id: z.uuid('machine id must be a UUID') });

/** /api/machines — the machines the signed-in user may see (their org's subtree), and one machine in full. */
export default async function machineRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('preHandler', app.requireViewer);

  app.get('/api/machines', async (request) => {
    const page = parseRequest(ListQuery, request.query, 'query');
    const result = await listMachines(app.db, request.viewer!, page);
    return { ...result, limit: page.limit, offset: page.offset };
  });

  app.get('/api/machines/:id', async (request) => {
    const { id } = parseRequest(MachineParams, request.params, 'path');
    const machine = await getMachineDetail(app.db, request.viewer!, id.toLowerCase());
    if (!machine) throw notFound('machine.not-found', `no machine ${id} in your organisation`);
    return { machine };
  });
}
