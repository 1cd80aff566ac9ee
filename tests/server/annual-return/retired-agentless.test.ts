/**
 * The annual return with retired machines, machines registered without agents, a dual-boot PC and
 * a virtual machine, through the real API on a real database; and the annual summary DOCX stating
 * the findings found and rectified in the year, from the findings table. Every expected number is
 * counted by hand in the comments.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { Inventory } from '@zhengban/protocol';
import { enrollAgent } from '../../../server/src/agents/enroll.ts';
import { createEnrollmentToken } from '../../../server/src/agents/enrollment-tokens.ts';
import { loadYearFindingCounts } from '../../../server/src/annual-return/finding-counts.ts';
import { todayInChina } from '../../../server/src/compliance/recompute.ts';
import { ingestFullReport } from '../../../server/src/ingest/ingest-full.ts';
import { buildTestApp } from '../../helpers/db.ts';
import { createUnit, enrolMachine, windowsInventory } from '../compliance/helpers.ts';
import { fullReport } from '../helpers/inventory.ts';
import { signInAs } from '../live/helpers.ts';

const testApp = await buildTestApp({ config: { alertSweepSeconds: 0 } });
t.teardown(testApp.close);
const { app, db, database, seeded } = testApp;
const today = todayInChina();
const year = Number(today.slice(0, 4));

const unit = await createUnit(db, seeded.rootOrgId, '市档案馆');
const admin = await signInAs(app, db, unit.id, 'unit-admin', 'danganguan');
const bureau = await signInAs(app, db, seeded.rootOrgId, 'bureau-admin', 'banquanju');

const kylinInventory = (hostname: string, findings: Inventory['findings'] = []): Inventory => ({
  ...windowsInventory(hostname),
  os: { family: 'kylin', product: 'Kylin Desktop V10 SP1', edition: 'desktop', version: 'V10 SP1', arch: 'x86_64', activation: { status: 'licensed', channel: 'retail' } },
  findings,
});
const post = async (url: string, payload: unknown, who = admin) => {
  const res = await app.inject({ method: 'POST', url, headers: who.headers, payload: payload as Record<string, unknown> });
  if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  return res.json();
};

// Enough licences for every OS install: no shortfall finding mixes into the findings counted below.
await post('/api/licences', { orgId: unit.id, product: 'windows-10-pro', type: 'perpetual-device', quantity: 20 });
await post('/api/licences', { orgId: unit.id, product: 'kylin-desktop-v10', type: 'perpetual-device', quantity: 20 });

// Agents: two Windows PCs known since last year, one Kylin PC, one virtual Windows machine.
const w1 = await enrolMachine(database, unit, 'dag-win-01');
const w2 = await enrolMachine(database, unit, 'dag-win-02');
const k1 = await enrolMachine(database, unit, 'dag-kylin-01');
const vm = await enrolMachine(database, unit, 'dag-vm-01');
await database.query('UPDATE machines SET first_seen_at = $1 WHERE id = ANY($2::uuid[])', [`${year - 1}-06-01T09:00:00+08:00`, [w1.machineId, w2.machineId]]);
// dag-win-01 activated against an unapproved KMS host, then was fixed: one finding opened and rectified.
await ingestFullReport(db, w1.agentId, fullReport(1, windowsInventory('dag-win-01', { kmsHost: 'kms.03k.org' })));
await ingestFullReport(db, w1.agentId, fullReport(2, { ...windowsInventory('dag-win-01'), collectedAt: '2025-06-02T08:00:00+08:00' }));
// dag-win-02 also uses that host; it will be retired with the finding open.
await ingestFullReport(db, w2.agentId, fullReport(1, windowsInventory('dag-win-02', { kmsHost: 'kms.03k.org' })));
// The Kylin PC is on its trial period (medium: counts) and has a low-severity note (does not count).
await ingestFullReport(db, k1.agentId, fullReport(1, kylinInventory('dag-kylin-01', [
  { code: 'os.trial', severity: 'medium', evidence: 'Kylin is on its trial period until 2026-12-31' },
  { code: 'os.note', severity: 'low', evidence: 'a remark of no consequence' },
])));
await ingestFullReport(db, vm.agentId, fullReport(1, { ...windowsInventory('dag-vm-01'), hardware: { macs: [], virtual: true } }));

// A dual-boot PC: the Windows side enrols and reports, then the Kylin side enrols with the same
// hardware (one PC, one record: the Windows agent is revoked) and reports Kylin.
const { token } = await createEnrollmentToken(db, { orgId: unit.id, label: 'dual boot' });
const hardware = { uuid: '4c4c4544-0031-4b10-8036-c4c04f4d4d32', serial: 'DUAL-BOOT-1', macs: ['3c:52:82:aa:bb:cc'] };
const dualWin = await enrollAgent(db, { token, hostname: 'dag-dual-win', platform: 'windows', agentVersion: '0.1.0', hardware });
await ingestFullReport(db, dualWin.agentId, fullReport(1, windowsInventory('dag-dual-win')));
const dualKylin = await enrollAgent(db, { token, hostname: 'dag-dual-kylin', platform: 'linux', agentVersion: '0.1.0', hardware });
await ingestFullReport(db, dualKylin.agentId, fullReport(1, kylinInventory('dag-dual-kylin')));
const [dual] = await database.query<{ machine_id: string }>('SELECT machine_id FROM agents WHERE id = $1', [dualKylin.agentId]);

// Registered without agents: an air-gapped Windows PC, a classified Kylin PC, a broken PC of unknown OS.
const r1 = (await post('/api/machines/register', { orgId: unit.id, hostname: '涉密-01', osFamily: 'windows', assetTag: 'DAG-001' })).machine.id as string;
const r2 = (await post('/api/machines/register', { orgId: unit.id, hostname: '涉密-02', osFamily: 'kylin', assetTag: 'DAG-002' })).machine.id as string;
const r3 = (await post('/api/machines/register', { orgId: unit.id, hostname: '待修-03', assetTag: 'DAG-003' })).machine.id as string;

// Retired this year: dag-win-02 (scrapped) and the broken registered PC.
await post(`/api/machines/${w2.machineId}/retire`, { reason: '硬盘损坏，已报废' });
await post(`/api/machines/${r3}/retire`, { reason: '无法修复，报废处理' });

// A finding opened last year on dag-win-01 and rectified this year.
await database.query(
  "INSERT INTO machine_findings (machine_id, org_id, code, subject, severity, origin, evidence, opened_at, closed_at) VALUES ($1, $2, 'os.unlicensed', 'e:lastyear', 'high', 'agent', 'not activated', $3, now())",
  [w1.machineId, unit.id, `${year - 1}-09-01T10:00:00+08:00`],
);

const view = async () => (await app.inject({ url: `/api/annual-returns/units/${unit.id}?year=${year}`, headers: admin.headers })).json().annualReturn;
const sorted = (ids: string[]) => [...ids].sort();

t.test('setup check: every OS install is covered, so only the findings set up above exist', async (t) => {
  const [row] = await database.query<{ n: number }>("SELECT count(*)::int AS n FROM machine_findings WHERE code LIKE 'licence.%'");
  t.equal(row!.n, 0);
});

t.test('the draft counts agents and registered machines, once each; retired and virtual ones are left out', async (t) => {
  const { draft, form } = await view();
  // Computers: dag-win-01, dag-kylin-01, the dual-boot PC, 涉密-01, 涉密-02 = 5
  //   (dag-win-02 and 待修-03 retired; dag-vm-01 virtual).
  // Windows: dag-win-01, 涉密-01 = 2. Kylin: dag-kylin-01, the dual-boot PC (last reported Kylin), 涉密-02 = 3.
  t.same(draft.figures, { computers: 5, windows: 2, kylin: 3, msOffice: 0, wps: 0 });
  t.same(sorted(draft.evidence.computers), sorted([w1.machineId, k1.machineId, dual!.machine_id, r1, r2]));
  t.same(sorted(draft.evidence.windows), sorted([w1.machineId, r1]));
  t.same(sorted(draft.evidence.kylin), sorted([k1.machineId, dual!.machine_id, r2]));
  t.same(sorted(draft.excluded.retired), sorted([w2.machineId, r3]));
  t.same(draft.excluded.virtual, [vm.machineId]);
  // Last year, from history: dag-win-01 and dag-win-02 were known by 31 December and dag-win-02
  // was retired only this year, so both count: 2 computers, both Windows.
  t.same(form.previous, { year: year - 1, staffCount: null, computers: 2, windows: 2, kylin: 0, msOffice: 0, wps: 0 });
});

t.test("the dual-boot PC's Windows agent can no longer report: it stays one Kylin computer", async (t) => {
  const outcome = await ingestFullReport(db, dualWin.agentId, fullReport(2, { ...windowsInventory('dag-dual-win'), collectedAt: '2025-06-03T08:00:00+08:00' }));
  t.match(outcome, { result: 'rejected', error: { code: 'agent.revoked' } }, 'the revoked agent is refused');
  t.same((await view()).draft.figures, { computers: 5, windows: 2, kylin: 3, msOffice: 0, wps: 0 });
});

t.test('the findings of the year: found, rectified, closed by retirement, still open, and last year’s rectified', async (t) => {
  // Found this year (medium or worse): dag-win-01 KMS (fixed), dag-win-02 KMS (closed when the PC
  // was retired), dag-kylin-01 trial (open) = 3; the low-severity note does not count.
  // Rectified: 1 of 3 = 33.3%. Closed by retirement: 1. Still open: 1. From last year, rectified now: 1.
  t.same(await loadYearFindingCounts(db, unit.id, year, today), { found: 3, rectified: 1, closedByRetirement: 1, stillOpen: 1, earlierRectified: 1 });
  t.same(await loadYearFindingCounts(db, unit.id, year - 1, `${year - 1}-12-31`), { found: 1, rectified: 0, closedByRetirement: 0, stillOpen: 1, earlierRectified: 0 }, 'last year: found, still open at its end');
});

const has = (tool: string) => spawnSync(tool, ['-v']).error === undefined;
t.test('the summary DOCX states the figures and the findings found and rectified', { skip: has('unzip') ? false : 'unzip is not installed' }, async (t) => {
  const res = await app.inject({ url: `/api/annual-returns/units/${unit.id}/summary.docx?year=${year}`, headers: admin.headers });
  t.equal(res.statusCode, 200);
  const dir = mkdtempSync(join(tmpdir(), 'zb-summary-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'summary.docx'), res.rawPayload);
  const text = execFileSync('unzip', ['-p', join(dir, 'summary.docx'), 'word/document.xml'], { encoding: 'utf8' }).replace(/<[^>]+>/g, '');
  for (const expected of [
    '计算机 5 台，比上年增加 3',
    '安装 windows 操作系统的计算机 2 台（占 40%）',
    '安装银河麒麟操作系统的计算机 3 台（占 60%，比上年增加 3）',
    '本年度共发现软件正版化问题 3 项，已整改 1 项，整改率 33.3%，尚有 1 项正在整改；另有 1 项因计算机报废或停用而关闭，未计入已整改。此外，整改以前年度遗留问题 1 项。',
  ]) t.ok(text.includes(expected), expected);
});

t.test('submitted with the retired machines listed as left out; restoring one moves only the next draft', async (t) => {
  const submitted = await post(`/api/annual-returns/units/${unit.id}/submit?year=${year}`, { staffCount: 23, head: '周馆长', liaison: '吴联络', contact: '0730-8220000', signedOn: today });
  t.same(submitted.version.figures, { computers: 5, windows: 2, kylin: 3, msOffice: 0, wps: 0 });
  t.same(sorted(submitted.version.evidence.excluded.retired), sorted([w2.machineId, r3]));
  t.equal(submitted.version.evidence.machineHashes[r1], null, 'a registered machine has no inventory hash');

  await post(`/api/machines/${w2.machineId}/restore`, { reason: '更换硬盘后恢复使用' });
  const after = await view();
  t.same(after.versions[0].figures, { computers: 5, windows: 2, kylin: 3, msOffice: 0, wps: 0 }, 'the stored version is unchanged');
  // The next draft: dag-win-02 is back, a Windows PC: 6 computers, 3 Windows.
  t.same(after.draft.figures, { computers: 6, windows: 3, kylin: 3, msOffice: 0, wps: 0 });
  const rollup = (await app.inject({ url: `/api/annual-returns?year=${year}`, headers: bureau.headers })).json().rollup;
  t.match(rollup.city, { units: 1, computers: 5, windows: 2, kylin: 3 }, 'the roll-up adds the submitted numbers');
});
