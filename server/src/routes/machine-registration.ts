import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { writeAccess } from '../access/policy.ts';
import { machineRef, orgRef } from '../access/references.ts';
import { actorOf } from '../audit/record.ts';
import { RegisteredMachineFields, RetirementReason } from '../machines/fields.ts';
import { commitMachineImport, planMachineImport } from '../machines/import/service.ts';
import { editMachineRecord, MachineRecordEdit } from '../machines/edit.ts';
import { registerMachine } from '../machines/register.ts';
import { restoreMachine, retireMachine } from '../machines/retire.ts';
import { requestScope } from '../plugins/access.ts';
import { Uuid } from './schemas.ts';

const MachineParams = z.object({ id: z.uuid('machine id must be a UUID') });
const ReasonBody = z.object({ reason: RetirementReason });
const RegisterBody = RegisteredMachineFields.extend({ orgId: Uuid });
const MAX_IMPORT_FILE_BYTES = 8 * 1024 * 1024;
const ImportBody = z.object({
  /** The unit the rows go to, unless a row names its unit by credit code. */
  orgId: Uuid,
  format: z.enum(['csv', 'xlsx'], { error: 'format must be csv or xlsx' }),
  content: z.base64('content must be the file in base64').max(Math.ceil(MAX_IMPORT_FILE_BYTES / 3) * 4, 'the file is larger than 8 MiB'),
});

/**
 * Machines the agents cannot report (issue #6): registering PCs without an agent one by one or
 * from a list (preview, then all rows or none), correcting a machine's record, and retiring
 * (报废/停用) or restoring a machine.
 * Admins only (writeAccess: bureau and unit admins), within their scope; every change is audited.
 * Registered from machines.ts, as separate routes next to the machine list.
 */
export default async function machineRegistrationRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['machines'];

  app.post(
    '/api/machines/:id/retire',
    {
      config: { access: writeAccess({ refs: { params: { id: machineRef } } }) },
      schema: { tags, summary: 'Retire a machine (报废/停用): left out of the annual return and the licence positions, its findings closed; 409 if retired already', params: MachineParams, body: ReasonBody },
    },
    async (request) => ({ retirement: await retireMachine(app.db, actorOf(request), request.params.id.toLowerCase(), request.body.reason) }),
  );

  app.post(
    '/api/machines/:id/restore',
    {
      config: { access: writeAccess({ refs: { params: { id: machineRef } } }) },
      schema: { tags, summary: 'Put a retired machine back in use: counted again, its inventory recognised again; 409 if not retired', params: MachineParams, body: ReasonBody },
    },
    async (request) => ({ retirement: await restoreMachine(app.db, actorOf(request), request.params.id.toLowerCase(), request.body.reason) }),
  );

  app.patch(
    '/api/machines/:id',
    {
      config: { access: writeAccess({ refs: { params: { id: machineRef } } }) },
      schema: {
        tags,
        summary:
          'Correct a machine\'s record: asset tag, department and note of any machine; name, OS family and serial of a machine without an agent (409 machine.reported-by-agent otherwise); 409 if the unit has the asset tag or serial; audited',
        params: MachineParams,
        body: MachineRecordEdit,
      },
    },
    async (request) => {
      const { machine, changed } = await editMachineRecord(app.db, actorOf(request), request.params.id.toLowerCase(), request.body);
      return { machine, changed };
    },
  );

  app.post(
    '/api/machines/register',
    {
      config: { access: writeAccess({ refs: { body: { orgId: orgRef } } }) },
      schema: { tags, summary: 'Register a machine without an agent in a unit (counted on the annual return under its OS family); 409 if the unit has its asset tag or serial', body: RegisterBody },
    },
    async (request, reply) => {
      const { orgId, ...fields } = request.body;
      return reply.code(201).send({ machine: await registerMachine(app.db, actorOf(request), orgId.toLowerCase(), fields) });
    },
  );

  const importOptions = (summary: string) => ({
    config: { access: writeAccess({ refs: { body: { orgId: orgRef } } }) },
    bodyLimit: MAX_IMPORT_FILE_BYTES * 2,
    schema: { tags, summary, body: ImportBody },
  });
  const fileOf = (body: z.infer<typeof ImportBody>) => ({ format: body.format, bytes: Buffer.from(body.content, 'base64') });

  app.post(
    '/api/machines/import/preview',
    importOptions('Check a list of machines without agents (XLSX or CSV, Chinese headings): each row, its unit, every problem by row and column; writes nothing'),
    async (request) => planMachineImport(app.db, requestScope(request), request.body.orgId.toLowerCase(), fileOf(request.body)),
  );

  app.post(
    '/api/machines/import',
    importOptions('Register a list of machines without agents: all rows or none (400 import.invalid with every problem)'),
    async (request) => ({ imported: await commitMachineImport(app.db, requestScope(request), actorOf(request), request.body.orgId.toLowerCase(), fileOf(request.body)) }),
  );
}
