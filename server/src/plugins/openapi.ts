import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { AccessPolicy } from '../access/policy.ts';
import type { OrgReference } from '../access/references.ts';
import { CSRF_HEADER } from '../auth/csrf.ts';
import { SESSION_COOKIE } from './session.ts';

/** Where the browsable API documentation lives. */
export const DOCS_PREFIX = '/docs';

/** One line on who may call a route, shown in the operation's description. */
function describeAccess(access: AccessPolicy | undefined): string | undefined {
  if (!access) return undefined;
  if (access.kind === 'public') return `Access: public (${access.reason}).`;
  if (access.kind === 'session') return 'Access: any signed-in user, on their own account.';
  const refs = Object.entries(access.refs).flatMap(([part, fields]: [string, Record<string, OrgReference> | undefined]) =>
    Object.entries(fields ?? {}).map(([field, ref]) => `${part}.${field} (${ref.kind})`),
  );
  return `Access: ${access.action}, roles ${access.roles.join(', ')}, within the caller's scope${refs.length ? `; checked references: ${refs.join(', ')}` : ''}.`;
}

/**
 * OpenAPI 3 generated from the routes' zod schemas (the same ones that validate requests), with
 * each operation's access policy in its description; Swagger UI at /docs, the document at
 * /docs/json. Must be registered before the routes: it collects them as they are added.
 */
export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'zhengban (正版) API',
          description:
            `Software legalisation compliance. Browsers sign in with POST /api/auth/login (session cookie ${SESSION_COOKIE}); ` +
            `every state-changing request carries the ${CSRF_HEADER} header with the csrfToken returned at sign-in. ` +
            'Errors are JSON { statusCode, code, message }.',
          version: '0.1.0',
        },
        components: {
          securitySchemes: {
            session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
            csrf: { type: 'apiKey', in: 'header', name: CSRF_HEADER },
          },
        },
      },
      transform: (document) => {
        const transformed = jsonSchemaTransform(document);
        const access = document.route.config?.access;
        const line = describeAccess(access);
        if (!line) return transformed;
        const schema = { ...transformed.schema } as Record<string, unknown>;
        schema.description = [schema.description, line].filter(Boolean).join('\n\n');
        if (access && access.kind !== 'public') schema.security = [{ session: [], csrf: [] }];
        return { ...transformed, schema };
      },
    });
    await app.register(swaggerUi, { routePrefix: DOCS_PREFIX });
  },
  { name: 'openapi' },
);
