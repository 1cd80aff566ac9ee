/**
 * GET /api/findings/counts (the summary above the dashboard's 问题 list): open findings counted by
 * code and severity with the machines they touch, in scope only, narrowed by orgId; a foreign
 * orgId is refused; closed findings leave the counts.
 */
import t from 'tap';
import { ingestFullReport } from '../../../server/src/ingest/ingest-full.ts';
import { buildTestApp } from '../../helpers/db.ts';
import { fullReport } from '../helpers/inventory.ts';
import { createUnit, enrolMachine, windowsInventory } from './helpers.ts';
import { signInAs } from '../live/helpers.ts';

const testApp = await buildTestApp();
t.teardown(testApp.close);
const { app, db, database, seeded } = testApp;

const unit = await createUnit(db, seeded.rootOrgId, '市财政局');
const other = await createUnit(db, seeded.rootOrgId, '市教育局');
const bureau = await signInAs(app, db, seeded.rootOrgId, 'bureau-admin', 'banquanju');
const unitViewer = await signInAs(app, db, unit.id, 'unit-viewer', 'caizheng');
const otherViewer = await signInAs(app, db, other.id, 'unit-viewer', 'jiaoyu');

// Two PCs of the unit activate against a KMS host nobody approved; the other unit's PC against another.
const agents: string[] = [];
for (const hostname of ['cz-pc-01', 'cz-pc-02']) {
  const machine = await enrolMachine(database, unit, hostname);
  agents.push(machine.agentId);
  await ingestFullReport(db, machine.agentId, fullReport(1, windowsInventory(hostname, { kmsHost: 'kms.example.cn' })));
}
const jy = await enrolMachine(database, other, 'jy-pc-01');
await ingestFullReport(db, jy.agentId, fullReport(1, windowsInventory('jy-pc-01', { kmsHost: 'kms.other.cn' })));

type Count = { code: string; severity: string; findings: number; machines: number };
async function counts(who: typeof bureau, orgId?: string) {
  const res = await app.inject({ url: `/api/findings/counts${orgId ? `?orgId=${orgId}` : ''}`, headers: who.headers });
  return { status: res.statusCode, counts: res.statusCode === 200 ? (res.json() as { counts: Count[] }).counts : [] };
}
const kms = (rows: Count[]) => rows.find((r) => r.code === 'kms.unapproved-host');

t.test('open findings by code and severity, scoped and narrowed by unit', async (t) => {
  t.same(kms((await counts(unitViewer)).counts), { code: 'kms.unapproved-host', severity: 'high', findings: 2, machines: 2 });
  t.match(kms((await counts(bureau)).counts), { findings: 3, machines: 3 }, 'the bureau counts both units');
  t.match(kms((await counts(bureau, other.id)).counts), { findings: 1, machines: 1 });
  t.match(kms((await counts(otherViewer)).counts), { findings: 1 }, 'the other unit counts its own only');
  t.equal((await counts(otherViewer, unit.id)).status, 404, 'a foreign unit id is refused');
});

t.test('a closed finding leaves the counts', async (t) => {
  await ingestFullReport(db, agents[0]!, fullReport(2, windowsInventory('cz-pc-01')));
  t.match(kms((await counts(unitViewer)).counts), { findings: 1, machines: 1 });
});
