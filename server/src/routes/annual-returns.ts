import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BUREAU_ADMIN_ROLES, readAccess, writeAccess } from '../access/policy.ts';
import { orgRef, ownedBy } from '../access/references.ts';
import { listRollupUnits } from '../annual-return/queries.ts';
import { rollUpReturns } from '../annual-return/rollup.ts';
import { deadlineOf, decideReturn, getUnitReturn, submitReturn } from '../annual-return/service.ts';
import { writeUnitSummaryDocx } from '../annual-return/summary-docx-service.ts';
import { writeAnnualReturnPdf } from '../annual-return/pdf-form.ts';
import { writeAnnualReturnXlsx } from '../annual-return/xlsx-form.ts';
import { writeRollupXlsx } from '../annual-return/xlsx-rollup.ts';
import { actorOf } from '../audit/record.ts';
import { loadRuleSet } from '../catalog/queries.ts';
import { todayInChina } from '../compliance/recompute.ts';
import { annualReturns, ANNUAL_RETURN_TEXT_LENGTH as L } from '../db/schema/annual-return.ts';
import { requestScope } from '../plugins/access.ts';
import { LineText, PlainText, Uuid } from './schemas.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const annualReturnRef = ownedBy('annual-return', annualReturns.id, annualReturns.orgId);
const YearQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() });
const UnitParams = z.object({ orgId: Uuid });
const ReturnParams = z.object({ returnId: Uuid });
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
const SubmitBody = z.object({
  staffCount: z.number().int().min(0).max(10_000_000),
  head: LineText.trim().min(1).max(L.person),
  liaison: LineText.trim().min(1).max(L.person),
  contact: LineText.trim().min(1).max(L.contact),
  signedOn: IsoDate,
});
const ReturnBody = z.object({ reason: PlainText.trim().min(1).max(L.reason) });

/** Content-Disposition with a UTF-8 file name (RFC 5987) and an ASCII fallback. */
const attachment = (name: string, ascii: string) => `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/**
 * /api/annual-returns — the annual return (年度报表, issue #6): each unit's live draft and stored
 * versions, submission, the bureau's accept/return, exports in the official layout, the roll-up of
 * the caller's scope and the units that have not submitted by 10 December.
 */
export default async function annualReturnRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['annual-returns'];
  const deps = async () => ({ products: (await loadRuleSet(app.db)).ruleSet.products, today: todayInChina() });
  const yearOf = (query: { year?: number | undefined }) => query.year ?? Number(todayInChina().slice(0, 4));

  app.get(
    '/api/annual-returns',
    { config: { access: readAccess() }, schema: { tags, summary: 'Roll-up of the units in your scope for a year (subtotals, city total, units not submitted)', querystring: YearQuery } },
    async (request) => {
      const year = yearOf(request.query);
      return { rollup: rollUpReturns(year, await listRollupUnits(app.db, requestScope(request), year)), deadline: deadlineOf(year, todayInChina()) };
    },
  );

  app.get(
    '/api/annual-returns/rollup.xlsx',
    { config: { access: readAccess() }, schema: { tags, summary: 'The roll-up as XLSX', querystring: YearQuery } },
    async (request, reply) => {
      const year = yearOf(request.query);
      const rollup = rollUpReturns(year, await listRollupUnits(app.db, requestScope(request), year));
      return reply.header('content-type', XLSX).header('content-disposition', attachment(`${year}年度汇总.xlsx`, `rollup-${year}.xlsx`)).send(await writeRollupXlsx(rollup));
    },
  );

  app.get(
    '/api/annual-returns/missing',
    { config: { access: readAccess() }, schema: { tags, summary: 'Units in your scope without a submitted return, and the deadline (10 December)', querystring: YearQuery } },
    async (request) => {
      const year = yearOf(request.query);
      const rollup = rollUpReturns(year, await listRollupUnits(app.db, requestScope(request), year));
      return { year, deadline: deadlineOf(year, todayInChina()), units: rollup.notSubmitted.map(({ row: _row, ...unit }) => unit) };
    },
  );

  app.get(
    '/api/annual-returns/units/:orgId',
    { config: { access: readAccess({ refs: { params: { orgId: orgRef } } }) }, schema: { tags, summary: "A unit's return: live draft with the evidence behind every figure, the form, every version", params: UnitParams, querystring: YearQuery } },
    async (request) => ({ annualReturn: await getUnitReturn(app.db, request.params.orgId.toLowerCase(), yearOf(request.query), await deps()) }),
  );

  app.get(
    '/api/annual-returns/units/:orgId/form.xlsx',
    { config: { access: readAccess({ refs: { params: { orgId: orgRef } } }) }, schema: { tags, summary: 'The form in the official layout (XLSX, A4)', params: UnitParams, querystring: YearQuery } },
    async (request, reply) => {
      const view = await getUnitReturn(app.db, request.params.orgId.toLowerCase(), yearOf(request.query), await deps());
      return reply.header('content-type', XLSX).header('content-disposition', attachment(`${view.year}年度计算机设备及办公软件使用情况汇总表.xlsx`, `annual-return-${view.year}.xlsx`)).send(await writeAnnualReturnXlsx(view.form));
    },
  );

  app.get(
    '/api/annual-returns/units/:orgId/form.pdf',
    { config: { access: readAccess({ refs: { params: { orgId: orgRef } } }) }, schema: { tags, summary: 'The form as an A4 PDF with signature and seal spaces', params: UnitParams, querystring: YearQuery } },
    async (request, reply) => {
      const view = await getUnitReturn(app.db, request.params.orgId.toLowerCase(), yearOf(request.query), await deps());
      return reply.header('content-type', 'application/pdf').header('content-disposition', attachment(`${view.year}年度计算机设备及办公软件使用情况汇总表.pdf`, `annual-return-${view.year}.pdf`)).send(await writeAnnualReturnPdf(view.form));
    },
  );

  app.get(
    '/api/annual-returns/units/:orgId/summary.docx',
    { config: { access: readAccess({ refs: { params: { orgId: orgRef } } }) }, schema: { tags, summary: 'The annual summary draft (年度总结) as an editable DOCX', params: UnitParams, querystring: YearQuery } },
    async (request, reply) => {
      const view = await getUnitReturn(app.db, request.params.orgId.toLowerCase(), yearOf(request.query), await deps());
      return reply.header('content-type', DOCX).header('content-disposition', attachment(`${view.year}年度工作总结（草稿）.docx`, `annual-summary-${view.year}.docx`)).send(await writeUnitSummaryDocx(app.db, view));
    },
  );

  app.post(
    '/api/annual-returns/units/:orgId/submit',
    { config: { access: writeAccess({ refs: { params: { orgId: orgRef } } }) }, schema: { tags, summary: 'Submit the return: numbers frozen with their evidence as a new version', params: UnitParams, querystring: YearQuery, body: SubmitBody } },
    async (request, reply) => {
      const stored = await submitReturn(app.db, actorOf(request), request.params.orgId.toLowerCase(), yearOf(request.query), request.body, await deps());
      return reply.code(201).send({ version: stored });
    },
  );

  app.post(
    '/api/annual-returns/:returnId/accept',
    { config: { access: writeAccess({ roles: BUREAU_ADMIN_ROLES, refs: { params: { returnId: annualReturnRef } } }) }, schema: { tags, summary: 'Bureau: accept a submitted return', params: ReturnParams } },
    async (request) => ({ version: await decideReturn(app.db, actorOf(request), request.params.returnId.toLowerCase(), { accept: true }) }),
  );

  app.post(
    '/api/annual-returns/:returnId/return',
    { config: { access: writeAccess({ roles: BUREAU_ADMIN_ROLES, refs: { params: { returnId: annualReturnRef } } }) }, schema: { tags, summary: 'Bureau: return a submitted return with a reason (the unit corrects it as a new version)', params: ReturnParams, body: ReturnBody } },
    async (request) => ({ version: await decideReturn(app.db, actorOf(request), request.params.returnId.toLowerCase(), { accept: false, reason: request.body.reason }) }),
  );
}
