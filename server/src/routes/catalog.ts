import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BUREAU_ADMIN_ROLES, readAccess, writeAccess } from '../access/policy.ts';
import { orgRef } from '../access/references.ts';
import { addCatalogRule, listAdminRules, listUnrecognised } from '../catalog/admin-rules.ts';
import { listInstalledProducts, listProductMachines } from '../catalog/installed.ts';
import { loadRuleSet } from '../catalog/queries.ts';
import { LICENCE_MODELS, PRODUCT_CATEGORIES, SOFTWARE_SOURCES_MATCHED } from '../catalog/types.ts';
import { requestScope } from '../plugins/access.ts';
import { LineText, PageQuery, Uuid } from './schemas.ts';

const Slug = z.string().regex(/^[a-z0-9][a-z0-9.-]{0,63}$/, 'lower-case letters, digits, dots and dashes');

const ProductBody = z.object({
  id: Slug,
  vendor: LineText.trim().min(1).max(200),
  name: LineText.trim().min(1).max(200),
  category: z.enum(PRODUCT_CATEGORIES),
  domestic: z.boolean(),
  licenceModel: z.enum(LICENCE_MODELS),
  family: Slug.optional(),
  rank: z.number().int().min(0).max(100_000).optional(),
});

const RuleBody = z.object({
  name: LineText.min(1).max(300),
  publisher: LineText.min(1).max(300).optional(),
  sources: z.array(z.enum(SOFTWARE_SOURCES_MATCHED)).max(3).optional(),
  /** The catalog product the entries are installs of; null = ignore them (parts of something else). */
  product: Slug.nullable(),
  edition: LineText.max(64).optional(),
  note: LineText.max(500).optional(),
  /** A new product to add to the catalog with the rule (its id must equal `product`). */
  newProduct: ProductBody.optional(),
});

/** /api/catalog — products, recognition rules (bureau admins add them), unrecognised software to review. */
export default async function catalogRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['catalog'];

  app.get(
    '/api/catalog/products',
    { config: { access: readAccess() }, schema: { tags, summary: 'The product catalog in force, with the rule set version' } },
    async () => {
      const { ruleSet } = await loadRuleSet(app.db);
      return { version: ruleSet.version, products: [...ruleSet.products.values()], familyRights: ruleSet.families };
    },
  );

  app.get(
    '/api/catalog/rules',
    { config: { access: readAccess() }, schema: { tags, summary: 'Recognition rules: admin rules (newest first) and the built-in ones' } },
    async () => {
      const { ruleSet } = await loadRuleSet(app.db);
      return { version: ruleSet.version, adminRules: await listAdminRules(app.db), rules: ruleSet.softwareRules };
    },
  );

  app.post(
    '/api/catalog/rules',
    {
      config: { access: writeAccess({ roles: BUREAU_ADMIN_ROLES }) },
      schema: { tags, summary: 'Add a recognition rule (bureau admins); applied to existing data in your scope at once', body: RuleBody },
    },
    async (request, reply) => {
      const { product, newProduct, ...rest } = request.body;
      const result = await addCatalogRule(app.db, requestScope(request), { ...rest, productId: product, product: newProduct });
      return reply.code(201).send({
        ruleId: result.ruleId,
        version: result.revision,
        positionsChanged: [...result.recompute.positionsChanged].map(([orgId, productIds]) => ({ orgId, productIds })),
        findingsOpened: result.recompute.findingChanges.filter((c) => c.change === 'opened').length,
        findingsClosed: result.recompute.findingChanges.filter((c) => c.change === 'closed').length,
      });
    },
  );

  app.get(
    '/api/catalog/unrecognised',
    {
      config: { access: readAccess({ refs: { querystring: { orgId: orgRef } } }) },
      schema: {
        tags,
        summary: 'Software no rule recognises, counted across machines in your scope (or one unit), most machines first: one page and the total that match',
        querystring: PageQuery.extend({ orgId: Uuid.optional(), q: LineText.max(200).optional() }),
      },
    },
    async (request) => {
      const { q, ...filter } = request.query;
      return listUnrecognised(app.db, requestScope(request), { ...filter, orgId: filter.orgId?.toLowerCase(), q: q?.trim() || undefined });
    },
  );

  app.get(
    '/api/catalog/installed',
    {
      config: { access: readAccess({ refs: { querystring: { orgId: orgRef } } }) },
      schema: { tags, summary: 'Recognised products installed in your scope (free ones too), with machine and unit counts', querystring: z.object({ orgId: Uuid.optional() }) },
    },
    async (request) => ({ products: await listInstalledProducts(app.db, requestScope(request), { orgId: request.query.orgId?.toLowerCase() }) }),
  );

  app.get(
    '/api/catalog/installed/machines',
    {
      config: { access: readAccess({ refs: { querystring: { orgId: orgRef } } }) },
      schema: {
        tags,
        summary: 'The machines in your scope with one product, by hostname, a page at a time',
        querystring: PageQuery.extend({ product: LineText.min(1).max(64), orgId: Uuid.optional() }),
      },
    },
    async (request) => {
      const { orgId, product, ...page } = request.query;
      const result = await listProductMachines(app.db, requestScope(request), { productId: product, orgId: orgId?.toLowerCase(), ...page });
      return { ...result, limit: page.limit, offset: page.offset };
    },
  );
}
