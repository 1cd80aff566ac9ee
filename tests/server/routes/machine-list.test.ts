/**
 * GET /api/machines at scale, as the dashboard's machine list uses it: search by hostname, serial
 * or IP address, filters (OS family, activation, open findings, last seen, org subtree), sorting and
 * paging done by the database, and clear 400s for parameters that make no sense.
 */
import t from 'tap';
import { insertOrg } from '../../../server/src/orgs/queries.ts';
import { createUser } from '../../../server/src/users/queries.ts';
import { createEnrollmentToken } from '../../../server/src/agents/enrollment-tokens.ts';
import { buildTestApp, TEST_ADMIN_PASSWORD } from '../../helpers/db.ts';
import { signIn, type SignedIn } from '../helpers/session.ts';

const testApp = await buildTestApp();
t.teardown(testApp.close);
const { app, db, seeded, database } = testApp;

// Hostnames sort the same whatever the database collation (C or a locale's).
// 市版权局 -> 甲区版权局 -> 甲区财政局, 甲区教育局; 市版权局 -> 乙县版权局 -> 乙县医院.
const countyA = await insertOrg(db, { parentId: seeded.rootOrgId, kind: 'bureau', name: '甲区版权局' });
const finance = await insertOrg(db, { parentId: countyA.id, kind: 'unit', name: '甲区财政局' });
const education = await insertOrg(db, { parentId: countyA.id, kind: 'unit', name: '甲区教育局' });
const countyB = await insertOrg(db, { parentId: seeded.rootOrgId, kind: 'bureau', name: '乙县版权局' });
const hospital = await insertOrg(db, { parentId: countyB.id, kind: 'unit', name: '乙县医院' });
await createUser(db, { username: 'a-admin', password: 'a-admin-password', orgId: countyA.id, role: 'bureau-admin' });
await createUser(db, { username: 'finance-viewer', password: 'finance-password', orgId: finance.id, role: 'unit-viewer' });

const HOUR = 3_600_000;
const now = Date.now();
interface Pc {
  org: string;
  hostname: string;
  serial: string | null;
  ip: string | null;
  family: string | null;
  activation: string | null;
  software: number;
  seenHoursAgo: number | null;
}
const PCS: Pc[] = [
  { org: finance.id, hostname: 'CAIWU-PC-01', serial: 'PF3ABCDE', ip: '10.20.1.11', family: 'windows', activation: 'licensed', software: 40, seenHoursAgo: 1 },
  { org: finance.id, hostname: 'CAIWU-PC-02', serial: 'PF3ABCDF', ip: '10.20.1.12', family: 'windows', activation: 'unlicensed', software: 12, seenHoursAgo: 200 },
  { org: finance.id, hostname: 'zx-caiwu-kylin', serial: 'KY0001', ip: '10.20.1.13', family: 'kylin', activation: 'trial', software: 90, seenHoursAgo: 30 },
  { org: education.id, hostname: 'JIAOYU-PC-01', serial: 'HX77_1%', ip: '10.30.2.5', family: 'uos', activation: null, software: 5, seenHoursAgo: null },
  { org: education.id, hostname: 'JIAOYU-PC-02', serial: null, ip: null, family: null, activation: null, software: 0, seenHoursAgo: 2 },
  { org: hospital.id, hostname: 'CAIWU-YIYUAN', serial: 'PF3ZZZZZ', ip: '10.20.1.99', family: 'windows', activation: 'licensed', software: 33, seenHoursAgo: 1.5 },
];
const ids: Record<string, string> = {};
for (const pc of PCS) {
  const [row] = await database.query<{ id: string }>(
    `INSERT INTO machines (org_id, hostname, hardware_serial, last_ip, os_family, os_activation_status, software_count, last_seen_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [pc.org, pc.hostname, pc.serial, pc.ip, pc.family, pc.activation, pc.software, pc.seenHoursAgo === null ? null : new Date(now - pc.seenHoursAgo * HOUR)],
  );
  ids[pc.hostname] = row!.id;
}
// An open finding on CAIWU-PC-02, a closed one on CAIWU-PC-01 (closed findings do not count).
await database.query(
  `INSERT INTO machine_findings (machine_id, org_id, code, subject, severity, origin, evidence, closed_at)
   VALUES ($1, $2, 'kms.public-host', 'kms.03k.org', 'high', 'server', 'KMS host kms.03k.org', NULL),
          ($3, $2, 'kms.public-host', 'kms.03k.org', 'high', 'server', 'KMS host kms.03k.org', now())`,
  [ids['CAIWU-PC-02'], finance.id, ids['CAIWU-PC-01']],
);

const root = await signIn(app, 'admin', TEST_ADMIN_PASSWORD);
const countyAdmin = await signIn(app, 'a-admin', 'a-admin-password');
const financeViewer = await signIn(app, 'finance-viewer', 'finance-password');
const list = async (session: SignedIn, query: Record<string, string | number> = {}) => {
  const res = await app.inject({ method: 'GET', url: '/api/machines', query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])), headers: session.headers });
  return res;
};
const hostnames = async (session: SignedIn, query: Record<string, string | number> = {}) => {
  const res = await list(session, query);
  if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
  return (res.json().machines as { hostname: string }[]).map((m) => m.hostname);
};

t.test('search finds a machine by part of its hostname (any case), part of its serial, or the start of its IP address', async (t) => {
  t.same(await hostnames(root, { q: 'caiwu' }), ['CAIWU-PC-01', 'CAIWU-PC-02', 'CAIWU-YIYUAN', 'zx-caiwu-kylin']);
  t.same(await hostnames(root, { q: 'kylin' }), ['zx-caiwu-kylin']);
  t.same(await hostnames(root, { q: 'pf3abcd' }), ['CAIWU-PC-01', 'CAIWU-PC-02'], 'serial, any case');
  t.same(await hostnames(root, { q: '10.20.1.1' }), ['CAIWU-PC-01', 'CAIWU-PC-02', 'zx-caiwu-kylin'], 'IP prefix');
  t.same(await hostnames(root, { q: '20.1' }), [], 'an IP matches from its start only');
  t.same(await hostnames(root, { q: '77_1%' }), ['JIAOYU-PC-01'], 'LIKE wildcards in the search are plain characters');
  t.same(await hostnames(root, { q: 'PC_0' }), [], 'an underscore matches only an underscore (PC-01 does not match)');
});

t.test('filters: OS family, activation (unknown includes never reported), open findings, last seen', async (t) => {
  t.same(await hostnames(root, { osFamily: 'windows' }), ['CAIWU-PC-01', 'CAIWU-PC-02', 'CAIWU-YIYUAN']);
  t.same(await hostnames(root, { activation: 'unknown' }), ['JIAOYU-PC-01', 'JIAOYU-PC-02']);
  t.same(await hostnames(root, { activation: 'unlicensed' }), ['CAIWU-PC-02']);
  t.same(await hostnames(root, { hasFindings: 'true' }), ['CAIWU-PC-02'], 'closed findings do not count');
  t.equal((await hostnames(root, { hasFindings: 'false' })).length, 5);
  const dayAgo = new Date(now - 24 * HOUR).toISOString();
  t.same(await hostnames(root, { seenAfter: dayAgo }), ['CAIWU-PC-01', 'CAIWU-YIYUAN', 'JIAOYU-PC-02']);
  t.same(await hostnames(root, { seenBefore: dayAgo }), ['CAIWU-PC-02', 'JIAOYU-PC-01', 'zx-caiwu-kylin'], 'never seen counts as not seen since');
  const weekAgo = new Date(now - 7 * 24 * HOUR).toISOString();
  t.same(await hostnames(root, { seenBefore: dayAgo, seenAfter: weekAgo }), ['zx-caiwu-kylin'], 'a window');
  t.same(await hostnames(root, { q: 'caiwu', osFamily: 'windows', activation: 'licensed' }), ['CAIWU-PC-01', 'CAIWU-YIYUAN'], 'filters combine');
});

t.test('the org filter takes an org and everything under it, inside the caller\'s scope only', async (t) => {
  t.same(await hostnames(root, { orgId: countyA.id }), ['CAIWU-PC-01', 'CAIWU-PC-02', 'JIAOYU-PC-01', 'JIAOYU-PC-02', 'zx-caiwu-kylin']);
  t.same(await hostnames(countyAdmin, { orgId: education.id }), ['JIAOYU-PC-01', 'JIAOYU-PC-02']);
  t.same(await hostnames(countyAdmin, { q: 'caiwu' }), ['CAIWU-PC-01', 'CAIWU-PC-02', 'zx-caiwu-kylin'], 'search never leaves the scope');
  const foreign = await list(countyAdmin, { orgId: hospital.id });
  t.equal(foreign.statusCode, 404, 'another county\'s unit is as unknown as a missing one');
  t.equal(foreign.json().code, 'org.not-found');
  t.equal((await list(financeViewer, { orgId: education.id })).statusCode, 404, 'a unit cannot name its sibling');
  t.same(await hostnames(financeViewer), ['CAIWU-PC-01', 'CAIWU-PC-02', 'zx-caiwu-kylin']);
});

t.test('sorting by any column, machines without a value last, pages that never overlap', async (t) => {
  t.same(await hostnames(root, { sort: 'softwareCount', order: 'desc' }), ['zx-caiwu-kylin', 'CAIWU-PC-01', 'CAIWU-YIYUAN', 'CAIWU-PC-02', 'JIAOYU-PC-01', 'JIAOYU-PC-02']);
  t.same(await hostnames(root, { sort: 'lastSeenAt', order: 'desc' }), ['CAIWU-PC-01', 'CAIWU-YIYUAN', 'JIAOYU-PC-02', 'zx-caiwu-kylin', 'CAIWU-PC-02', 'JIAOYU-PC-01'], 'never seen last');
  t.same(await hostnames(root, { sort: 'lastSeenAt', order: 'asc' }), ['JIAOYU-PC-01', 'CAIWU-PC-02', 'zx-caiwu-kylin', 'JIAOYU-PC-02', 'CAIWU-YIYUAN', 'CAIWU-PC-01'], 'ascending: the longest silent first, never seen before all');
  // 乙县医院 sorts before 甲区财政局 (乙 U+4E59 < 甲 U+7532); within a unit, by hostname.
  t.same(await hostnames(root, { sort: 'org', q: 'caiwu' }), ['CAIWU-YIYUAN', 'CAIWU-PC-01', 'CAIWU-PC-02', 'zx-caiwu-kylin']);
  const seen = new Set<string>();
  for (let offset = 0; offset < 6; offset += 4) {
    const res = (await list(root, { sort: 'osFamily', limit: 4, offset })).json();
    t.equal(res.total, 6);
    for (const m of res.machines as { id: string }[]) seen.add(m.id);
  }
  t.equal(seen.size, 6, 'two pages hold every machine once');
});

t.test('each row carries what the list shows: unit, OS, activation, serial, IP, open findings', async (t) => {
  const [row] = (await list(root, { q: 'CAIWU-PC-02' })).json().machines;
  t.match(row, {
    id: ids['CAIWU-PC-02'],
    hostname: 'CAIWU-PC-02',
    org: { id: finance.id, name: '甲区财政局' },
    os: { family: 'windows' },
    activation: { status: 'unlicensed' },
    serial: 'PF3ABCDF',
    lastIp: '10.20.1.12',
    softwareCount: 12,
    openFindings: 1,
  });
  t.match((await list(root, { q: 'CAIWU-PC-02' })).json(), { total: 1, limit: 50, offset: 0, sort: 'hostname', order: 'asc' });
});

t.test('department (使用部门, part of it) and retired (报废/停用) filters', async (t) => {
  await database.query("UPDATE machines SET department = '财务科' WHERE hostname IN ('CAIWU-PC-01', 'CAIWU-PC-02')");
  await database.query("UPDATE machines SET department = '办公室', retired_at = now() WHERE hostname = 'JIAOYU-PC-02'");
  t.same(await hostnames(root, { department: '财务' }), ['CAIWU-PC-01', 'CAIWU-PC-02']);
  t.same(await hostnames(root, { department: '100%' }), [], 'wildcards are plain characters');
  t.same(await hostnames(root, { retired: 'true' }), ['JIAOYU-PC-02']);
  t.equal((await hostnames(root, { retired: 'false' })).length, 5);
  const [row] = (await list(root, { retired: 'true' })).json().machines;
  t.match(row, { department: '办公室', retiredAt: String, assetTag: null });
  await database.query("UPDATE machines SET department = NULL, retired_at = NULL");
});

t.test('parameters that make no sense get a 400 that names them and says what is accepted', async (t) => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ osFamily: 'macos' }, /osFamily: must be one of windows, kylin, uos, neokylin, deepin, linux/],
    [{ activation: 'cracked' }, /activation: must be one of licensed, grace, trial, unlicensed, unknown/],
    [{ hasFindings: 'maybe' }, /hasFindings: must be true or false/],
    [{ seenBefore: 'last week' }, /seenBefore: must be an ISO date-time with an offset/],
    [{ seenAfter: '2026-02-01T00:00:00+08:00', seenBefore: '2026-01-01T00:00:00+08:00' }, /seenAfter must be earlier than seenBefore/],
    [{ sort: 'password' }, /sort: must be one of hostname, lastSeenAt/],
    [{ order: 'up' }, /order: must be asc or desc/],
    [{ orgId: 'finance' }, /orgId: must be a UUID/],
    [{ q: 'x'.repeat(101) }, /q: search text: at most 100 characters/],
    [{ limit: '5000' }, /limit: Too big/],
    [{ retired: 'perhaps' }, /retired: must be true or false/],
  ];
  for (const [query, message] of cases) {
    const res = await list(root, query);
    t.equal(res.statusCode, 400, JSON.stringify(query));
    t.match(res.json(), { code: 'request.invalid', message }, JSON.stringify(query));
  }
});

t.test('an agent\'s address is recorded when it enrols, so the machine can be found by IP', async (t) => {
  const { token } = await createEnrollmentToken(db, { orgId: education.id, label: 'ip test' });
  const res = await app.inject({ method: 'POST', url: '/agent/enroll', remoteAddress: '10.30.9.77', payload: { token, hostname: 'JIAOYU-PC-77', platform: 'linux', agentVersion: '0.1.0' } });
  t.equal(res.statusCode, 200);
  t.same(await hostnames(root, { q: '10.30.9.' }), ['JIAOYU-PC-77']);
});
