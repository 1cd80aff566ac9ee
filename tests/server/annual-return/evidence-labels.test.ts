/**
 * The drill-down of the annual return (GET /api/annual-returns/units/:orgId, `labels`): every id
 * behind the draft's figures is named (hostnames for machines, product and sets for ledger rows),
 * also after submission, and nothing of another unit is named.
 */
import t from 'tap';
import { todayInChina } from '../../../server/src/compliance/recompute.ts';
import { licences } from '../../../server/src/db/schema/ledger.ts';
import { ingestFullReport } from '../../../server/src/ingest/ingest-full.ts';
import { buildTestApp } from '../../helpers/db.ts';
import { createUnit, enrolMachine, windowsInventory } from '../compliance/helpers.ts';
import { fullReport } from '../helpers/inventory.ts';
import { signInAs } from '../live/helpers.ts';

const testApp = await buildTestApp();
t.teardown(testApp.close);
const { app, db, database, seeded } = testApp;
const year = Number(todayInChina().slice(0, 4));

const unit = await createUnit(db, seeded.rootOrgId, '市财政局');
const other = await createUnit(db, seeded.rootOrgId, '市教育局');
const admin = await signInAs(app, db, unit.id, 'unit-admin', 'caizheng');
const headers = { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken };
for (const hostname of ['cz-pc-01', 'cz-pc-02']) {
  const machine = await enrolMachine(database, unit, hostname);
  await ingestFullReport(db, machine.agentId, fullReport(1, windowsInventory(hostname)));
}
const foreign = await enrolMachine(database, other, 'jy-pc-01');
await ingestFullReport(db, foreign.agentId, fullReport(1, windowsInventory('jy-pc-01')));
const [wps] = await db
  .insert(licences)
  .values({ orgId: unit.id, productId: 'wps-professional-2019', type: 'perpetual-device', quantity: 4, purchasedOn: `${year}-01-05`, contractNo: 'HT-WPS-1' })
  .returning({ id: licences.id });

type View = { status: string; draft: { evidence: Record<string, string[]> }; versions: Array<{ evidence: { figures: Record<string, string[]> } }>; labels: { machines: Record<string, { hostname: string; osFamily: string | null }>; licences: Record<string, { productId: string; quantity: number; contractNo: string | null }> } };
async function view(): Promise<View> {
  const res = await app.inject({ url: `/api/annual-returns/units/${unit.id}?year=${year}`, headers });
  t.equal(res.statusCode, 200, res.body);
  return (res.json() as { annualReturn: View }).annualReturn;
}

t.test('every machine and ledger row behind the draft is named', async (t) => {
  const draft = await view();
  t.equal(draft.draft.evidence.computers!.length, 2);
  t.same(draft.draft.evidence.computers!.map((id) => draft.labels.machines[id]?.hostname).sort(), ['cz-pc-01', 'cz-pc-02']);
  t.equal(draft.labels.machines[draft.draft.evidence.windows![0]!]?.osFamily, 'windows');
  t.same(draft.draft.evidence.wps, [wps!.id]);
  t.match(draft.labels.licences[wps!.id], { productId: 'wps-professional-2019', quantity: 4, contractNo: 'HT-WPS-1' });
  t.notOk(Object.values(draft.labels.machines).some((m) => m.hostname === 'jy-pc-01'), 'nothing of another unit');
});

t.test('a submitted version keeps its evidence named', async (t) => {
  const res = await app.inject({ method: 'POST', url: `/api/annual-returns/units/${unit.id}/submit?year=${year}`, headers, payload: { staffCount: 30, head: '张局长', liaison: '李联络', contact: '0731-1234567', signedOn: todayInChina() } });
  t.equal(res.statusCode, 201, res.body);
  const submitted = await view();
  t.equal(submitted.status, 'submitted');
  const frozen = submitted.versions[0]!.evidence.figures;
  t.same(frozen.computers!.map((id) => submitted.labels.machines[id]?.hostname).sort(), ['cz-pc-01', 'cz-pc-02']);
  t.ok(submitted.labels.licences[frozen.wps![0]!], 'the frozen ledger row is named');
});
