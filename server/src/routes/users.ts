import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { STAFF_ROLES, readAccess, writeAccess } from '../access/policy.ts';
import { orgRef, userRef } from '../access/references.ts';
import { actorOf } from '../audit/record.ts';
import { USER_ROLES } from '../db/schema.ts';
import { notFound } from '../errors.ts';
import { requestScope } from '../plugins/access.ts';
import { getUserView, listUsers } from '../users/queries.ts';
import { createUser, resetPassword, updateUser } from '../users/service.ts';
import { LineText, PageQuery, PlainText, Uuid } from './schemas.ts';

const IdParams = z.object({ id: Uuid });
const Role = z.enum(USER_ROLES);
const Username = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}._@-]{2,64}$/u, '2 to 64 letters, digits or . _ @ - (no spaces)');
const DisplayName = LineText.trim()
  .max(64)
  .nullish()
  .transform((value) => (value ? value : null));

/**
 * /api/users — people and their roles, within the caller's scope. Admins create users at or below
 * their own level; a new user signs in with a temporary password and must change it first.
 */
export default async function userRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['users'];

  app.get(
    '/api/users',
    {
      config: { access: readAccess({ roles: STAFF_ROLES, refs: { querystring: { orgId: orgRef } } }) },
      schema: {
        tags,
        summary: 'Users in your scope (orgId: that org and everything under it)',
        querystring: PageQuery.extend({
          orgId: Uuid.optional(),
          role: Role.optional(),
          q: LineText.max(64).optional(),
          includeDisabled: z.stringbool().optional(),
        }),
      },
    },
    async (request) => {
      const { limit, offset, ...filter } = request.query;
      return { ...(await listUsers(app.db, requestScope(request), filter, { limit, offset })), limit, offset };
    },
  );

  app.get(
    '/api/users/:id',
    { config: { access: readAccess({ roles: STAFF_ROLES, refs: { params: { id: userRef } } }) }, schema: { tags, summary: 'One user', params: IdParams } },
    async (request) => {
      const user = await getUserView(app.db, request.params.id);
      if (!user) throw notFound('user.not-found', `no user ${request.params.id} in your scope`);
      return { user };
    },
  );

  app.post(
    '/api/users',
    {
      config: { access: writeAccess({ refs: { body: { orgId: orgRef } } }) },
      schema: {
        tags,
        summary: 'Create a user; without a password one is generated and returned once (temporaryPassword)',
        body: z.object({
          username: Username,
          displayName: DisplayName,
          role: Role,
          orgId: Uuid,
          password: PlainText.min(8, 'must be at least 8 characters').max(1024).optional(),
        }),
      },
    },
    async (request, reply) => {
      const { id, temporaryPassword } = await createUser(app.db, requestScope(request), actorOf(request), request.body);
      return reply.code(201).send({ user: await getUserView(app.db, id), ...(temporaryPassword ? { temporaryPassword } : {}) });
    },
  );

  app.patch(
    '/api/users/:id',
    {
      config: { access: writeAccess({ refs: { params: { id: userRef }, body: { orgId: orgRef } } }) },
      schema: {
        tags,
        summary: "Change a user's name, role, org, or disable them (their sessions end)",
        params: IdParams,
        body: z.object({ displayName: DisplayName.optional(), role: Role.optional(), orgId: Uuid.optional(), disabled: z.boolean().optional() }),
      },
    },
    async (request) => {
      await updateUser(app.db, requestScope(request), actorOf(request), request.params.id, request.body);
      return { user: await getUserView(app.db, request.params.id) };
    },
  );

  app.post(
    '/api/users/:id/password-reset',
    {
      config: { access: writeAccess({ refs: { params: { id: userRef } } }) },
      schema: { tags, summary: 'Give a user a new temporary password (returned once); they must change it at sign-in', params: IdParams },
    },
    async (request) => resetPassword(app.db, requestScope(request), actorOf(request), request.params.id),
  );
}
