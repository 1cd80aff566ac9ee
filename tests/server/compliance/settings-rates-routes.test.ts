/**
 * Compliance settings and rates over HTTP. A unit's approved KMS hosts decide
 * `kms.unapproved-host`: approving the host closes the finding at once, removing it opens it
 * again. Rates are counted per unit, region and sector, within the viewer's scope. Bad input gets
 * a 4xx that says what is wrong and changes nothing.
 */
import t from 'tap';
import { createEnrollmentToken } from '../../../server/src/agents/enrollment-tokens.ts';
import { ingestFullReport } from '../../../server/src/ingest/ingest-full.ts';
import { insertOrg } from '../../../server/src/orgs/queries.ts';
import { buildTestApp } from '../../helpers/db.ts';
import { fullReport } from '../helpers/inventory.ts';
import { enrolMachine, officeSuite, windowsInventory, type TestUnit } from './helpers.ts';
import { signInAs } from '../live/helpers.ts';

const testApp = await buildTestApp();
t.teardown(testApp.close);
const { app, db, database, seeded } = testApp;

async function unitIn(name: string, region: string, sector: string): Promise<TestUnit> {
  const org = await insertOrg(db, { parentId: seeded.rootOrgId, kind: 'unit', name, sector, region });
  const { token } = await createEnrollmentToken(db, { orgId: org.id, label: `${name} test token` });
  return { ...org, token };
}
const unitA = await unitIn('区财政局', '岳麓区', '党政机关');
const unitB = await unitIn('区实验中学', '天心区', '教育');
const bureau = await signInAs(app, db, seeded.rootOrgId, 'bureau-admin', 'banquanju');
const adminA = await signInAs(app, db, unitA.id, 'unit-admin', 'caizheng');
const viewerA = await signInAs(app, db, unitA.id, 'unit-viewer', 'caizheng-kan');
const viewerB = await signInAs(app, db, unitB.id, 'unit-viewer', 'shiyan');

// Unit A: one PC with WPS, one with Microsoft Office; both Windows 10 Pro activated against an
// outside KMS host (kms.03k.org), which no one has approved yet. Unit B: one PC, nothing bought.
async function report(unit: TestUnit, hostname: string, office: ReturnType<typeof officeSuite>[], kmsHost?: string) {
  const machine = await enrolMachine(database, unit, hostname);
  await ingestFullReport(db, machine.agentId, fullReport(1, windowsInventory(hostname, { office, ...(kmsHost ? { kmsHost } : {}) })));
  return machine;
}
const pcA1 = await report(unitA, 'caizheng-pc-01', [officeSuite('kingsoft', 'WPS Office 2019 专业版', 'professional')], 'kms.03k.org');
const pcA2 = await report(unitA, 'caizheng-pc-02', [officeSuite('microsoft', 'Office Standard 2016', 'standard')], 'kms.03k.org');
await report(unitB, 'shiyan-pc-01', []);

async function kmsFindings(): Promise<Array<{ machineId: string; subject: string }>> {
  const res = await app.inject({ url: `/api/findings?orgId=${unitA.id}&code=kms.unapproved-host`, headers: viewerA.headers });
  return (res.json() as { findings: Array<{ machineId: string; subject: string }> }).findings;
}

t.test('approving a KMS host closes kms.unapproved-host at once; removing it opens it again', async (t) => {
  const open = await kmsFindings();
  t.same(open.map((f) => f.machineId).sort(), [pcA1.machineId, pcA2.machineId].sort(), 'both PCs use an unapproved host');
  t.same((await app.inject({ url: `/api/compliance/settings/${unitA.id}`, headers: viewerA.headers })).json(), { settings: { orgId: unitA.id, approvedKmsHosts: [], webhookUrl: null } });

  const approve = await app.inject({ method: 'PUT', url: `/api/compliance/settings/${unitA.id}`, headers: adminA.headers, payload: { approvedKmsHosts: ['KMS.03k.org.'] } });
  t.equal(approve.statusCode, 200, approve.body);
  t.same((approve.json() as { settings: { approvedKmsHosts: string[] } }).settings.approvedKmsHosts, ['kms.03k.org'], 'stored normalised');
  t.same(await kmsFindings(), [], 'no open finding');

  const remove = await app.inject({ method: 'PUT', url: `/api/compliance/settings/${unitA.id}`, headers: adminA.headers, payload: { approvedKmsHosts: ['kms.caizheng.local'] } });
  t.equal(remove.statusCode, 200);
  t.equal((await kmsFindings()).length, 2, 'opened again on both PCs');
});

t.test('settings refuse bad input and the wrong people, and nothing changes', async (t) => {
  const before = (await app.inject({ url: `/api/compliance/settings/${unitA.id}`, headers: adminA.headers })).json();
  const byViewer = await app.inject({ method: 'PUT', url: `/api/compliance/settings/${unitA.id}`, headers: viewerA.headers, payload: { approvedKmsHosts: [] } });
  t.equal(byViewer.statusCode, 403);
  const webhookByUnit = await app.inject({ method: 'PUT', url: `/api/compliance/settings/${unitA.id}`, headers: adminA.headers, payload: { approvedKmsHosts: [], webhookUrl: 'http://127.0.0.1:9/hook' } });
  t.equal(webhookByUnit.statusCode, 403);
  t.match(webhookByUnit.json(), { message: /only bureau administrators set the alert webhook/ });
  const ftp = await app.inject({ method: 'PUT', url: `/api/compliance/settings/${seeded.rootOrgId}`, headers: bureau.headers, payload: { approvedKmsHosts: [], webhookUrl: 'ftp://example.test/hook' } });
  t.equal(ftp.statusCode, 400);
  t.match(ftp.body, /webhookUrl/);
  const notAList = await app.inject({ method: 'PUT', url: `/api/compliance/settings/${unitA.id}`, headers: adminA.headers, payload: { approvedKmsHosts: 'kms.03k.org' } });
  t.equal(notAList.statusCode, 400);
  t.match(notAList.body, /approvedKmsHosts/);
  const foreign = await app.inject({ url: `/api/compliance/settings/${unitA.id}`, headers: viewerB.headers });
  t.equal(foreign.statusCode, 404, 'another unit\'s settings do not exist for its viewer');
  t.same((await app.inject({ url: `/api/compliance/settings/${unitA.id}`, headers: adminA.headers })).json(), before, 'unchanged');
  t.equal((await kmsFindings()).length, 2);

  const hook = await app.inject({ method: 'PUT', url: `/api/compliance/settings/${seeded.rootOrgId}`, headers: bureau.headers, payload: { approvedKmsHosts: [], webhookUrl: 'http://127.0.0.1:9/hook' } });
  t.equal(hook.statusCode, 200, 'a bureau admin sets the webhook');
  t.match(hook.json(), { settings: { webhookUrl: 'http://127.0.0.1:9/hook' } });
});

t.test('rates by unit, region and sector count compliant machines and domestic office suites', async (t) => {
  // Approve the host again and license what pc-01 runs: a site licence for Windows 10 Pro and
  // one for WPS professional. pc-01 is then compliant; pc-02's Office Standard 2016 is not
  // licensed (a shortfall), and unit B's PC has a Windows shortfall.
  await app.inject({ method: 'PUT', url: `/api/compliance/settings/${unitA.id}`, headers: adminA.headers, payload: { approvedKmsHosts: ['kms.03k.org'] } });
  for (const product of ['windows-10-pro', 'wps-professional-2019']) {
    const res = await app.inject({ method: 'POST', url: '/api/licences', headers: adminA.headers, payload: { orgId: unitA.id, product, type: 'site', quantity: 1 } });
    t.equal(res.statusCode, 201, res.body);
  }
  type Row = { key: string; label: string; machines: number; compliantMachines: number; complianceRate: number | null; kylinShare: number | null; officeSuites: number; domesticOfficeShare: number | null };
  const rates = async (by: string, who = bureau) => {
    const res = await app.inject({ url: `/api/compliance/rates?by=${by}`, headers: who.headers });
    t.equal(res.statusCode, 200, res.body);
    return (res.json() as { rows: Row[] }).rows;
  };

  // Unit A: 1 compliant of 2 = 0.5; office suites 2, WPS 1 -> 0.5; no Kylin of 2 OS -> 0.
  // Unit B: 0 of 1 = 0; no office suite -> share undefined (null).
  const byUnit = await rates('unit');
  t.match(byUnit.find((r) => r.key === unitA.id), { label: '区财政局', machines: 2, compliantMachines: 1, complianceRate: 0.5, kylinShare: 0, officeSuites: 2, domesticOfficeShare: 0.5 });
  t.match(byUnit.find((r) => r.key === unitB.id), { label: '区实验中学', machines: 1, compliantMachines: 0, complianceRate: 0, officeSuites: 0, domesticOfficeShare: null });
  t.match(await rates('region'), [
    { key: '天心区', machines: 1, complianceRate: 0 },
    { key: '岳麓区', machines: 2, complianceRate: 0.5 },
  ].sort((a, b) => (a.key < b.key ? -1 : 1)));
  const bySector = await rates('sector');
  t.match(bySector.find((r) => r.key === '党政机关'), { machines: 2, compliantMachines: 1 });
  t.match(bySector.find((r) => r.key === '教育'), { machines: 1, compliantMachines: 0 });
  t.same((await rates('unit', viewerB)).map((r) => r.key), [unitB.id], 'a unit viewer sees only the own unit');

  const bad = await app.inject({ url: '/api/compliance/rates?by=province', headers: bureau.headers });
  t.equal(bad.statusCode, 400);
  t.match(bad.body, /unit|region|sector/);
});
