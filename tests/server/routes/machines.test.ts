import t from 'tap';
import type { Inventory } from '@zhengban/protocol';
import { createEnrollmentToken } from '../../../server/src/agents/enrollment-tokens.ts';
import { insertOrg } from '../../../server/src/orgs/queries.ts';
import { createUser } from '../../../server/src/users/queries.ts';
import { buildTestApp, TEST_ADMIN_PASSWORD } from '../../helpers/db.ts';
import { AgentSocket, enrollAgent } from '../helpers/agent-client.ts';
import { debianInventory, dpkg, fullReport } from '../helpers/inventory.ts';

const testApp = await buildTestApp({ listen: true });
t.teardown(testApp.close);
const { app, db, seeded } = testApp;

// Org tree: 市版权局 -> 默认单位 (seeded), and 市版权局 -> 芙蓉区版权局 -> 区第一中学.
const county = await insertOrg(db, { parentId: seeded.rootOrgId, kind: 'bureau', name: '芙蓉区版权局' });
const school = await insertOrg(db, { parentId: county.id, kind: 'unit', name: '区第一中学', sector: 'education' });
await createUser(db, { username: 'unit-admin', password: 'unit-password', orgId: seeded.defaultUnitId, role: 'unit-admin' });
await createUser(db, { username: 'county-viewer', password: 'county-password', orgId: county.id, role: 'bureau-viewer' });

const windows: Inventory = debianInventory([], {
  hostname: 'CAIWU-PC-03',
  hardware: { uuid: '5f1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9', serial: 'PF3ABCDE', vendor: 'LENOVO', model: 'ThinkCentre M720t', macs: ['54:e1:ad:01:02:03'] },
  os: {
    family: 'windows',
    product: 'Windows 10 Pro',
    edition: 'Professional',
    version: '10',
    build: '19045',
    arch: 'x86_64',
    activation: { status: 'licensed', channel: 'kms', kmsHost: 'kms.example.net', expires: '2027-05-20' },
  },
  office: [
    {
      vendor: 'kingsoft',
      product: 'WPS Office 2019 个人版',
      edition: 'personal',
      version: '11.1.0.8612',
      scope: 'user',
      activation: { status: 'unknown', channel: 'unknown' },
    },
  ],
  software: [
    { id: 'Kingsoft Office', name: 'WPS Office (11.1.0.8612)', version: '11.1.0.8612', publisher: 'Zhuhai Kingsoft Office Software Co.,Ltd', source: 'registry', hive: 'HKU\\S-1-5-21-1-2-3-1001' },
    { id: '{90160000-0011-0000-0000-0000000FF1CE}', name: 'Microsoft Office Professional Plus 2016', version: '16.0.4266.1001', installDate: '2021-03-04', source: 'registry', hive: 'HKLM' },
  ],
  findings: [{ code: 'kms.public-host', severity: 'high', evidence: 'KeyManagementServiceMachine = kms.example.net' }],
});
const debian = debianInventory([dpkg('bash', '5.2.15-2+b2'), dpkg('libreoffice-writer', '4:7.4.7-1')]);
const kylin = debianInventory([dpkg('wps-office', '11.1.0.11720')], {
  hostname: 'jiaowu-01',
  hardware: { uuid: '0a1b2c3d-1111-2222-3333-444455556666', macs: ['00:e0:4c:68:00:01'] },
  os: { family: 'kylin', product: 'Kylin Desktop V10 SP1', edition: 'desktop', version: 'V10 SP1 2403', arch: 'aarch64', activation: { status: 'trial', channel: 'unknown', expires: '2026-12-31' } },
});

async function report(token: string, inventory: Inventory): Promise<string> {
  const credentials = await enrollAgent(testApp.baseUrl, token, { hostname: inventory.hostname, hardware: inventory.hardware });
  const agent = await AgentSocket.connect(testApp.wsUrl, credentials);
  agent.sendJson(fullReport(1, inventory));
  await agent.next();
  agent.close();
  const [row] = await testApp.database.query<{ machine_id: string }>('SELECT machine_id FROM agents WHERE id = $1', [credentials.agentId]);
  return row!.machine_id;
}
const windowsId = await report(seeded.startupToken, windows);
const debianId = await report(seeded.startupToken, debian);
const kylinId = await report((await createEnrollmentToken(db, { orgId: school.id, label: 'school' })).token, kylin);

async function signIn(username: string, password: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  const cookie = res.cookies.find((c) => c.name === 'zhengban_session')!;
  return `${cookie.name}=${cookie.value}`;
}
const admin = await signIn('admin', TEST_ADMIN_PASSWORD);
const unitAdmin = await signIn('unit-admin', 'unit-password');
const countyViewer = await signIn('county-viewer', 'county-password');
const get = (url: string, cookie: string) => app.inject({ url, headers: { cookie } });

t.test('the bureau admin sees every machine, by hostname, with OS, activation, software count, last seen and org', async (t) => {
  const body = (await get('/api/machines', admin)).json();
  t.equal(body.total, 3);
  t.same(body.machines.map((m: { hostname: string }) => m.hostname), ['CAIWU-PC-03', 'jiaowu-01', 'pc-01']);
  t.match(body.machines[0], {
    id: windowsId,
    hostname: 'CAIWU-PC-03',
    org: { id: seeded.defaultUnitId, name: '默认单位' },
    os: { family: 'windows', product: 'Windows 10 Pro', edition: 'Professional', version: '10', arch: 'x86_64' },
    activation: { status: 'licensed', channel: 'kms', kmsHost: 'kms.example.net', expires: '2027-05-20' },
    softwareCount: 2,
    lastSeenAt: String,
  });
  t.match(body.machines[1], { id: kylinId, org: { name: '区第一中学' }, os: { family: 'kylin', version: 'V10 SP1 2403' }, activation: { status: 'trial' }, softwareCount: 1 });
});

t.test('a unit admin sees only the unit\'s machines; a county viewer only the county\'s', async (t) => {
  const unit = (await get('/api/machines', unitAdmin)).json();
  t.same(unit.machines.map((m: { id: string }) => m.id).sort(), [windowsId, debianId].sort());
  t.equal(unit.total, 2);
  const countyList = (await get('/api/machines', countyViewer)).json();
  t.same(countyList.machines.map((m: { id: string }) => m.id), [kylinId]);
});

t.test('the list comes in pages', async (t) => {
  const page = (await get('/api/machines?limit=1&offset=1', admin)).json();
  t.match(page, { total: 3, limit: 1, offset: 1, machines: [{ hostname: 'jiaowu-01' }] });
  const bad = await get('/api/machines?limit=0', admin);
  t.equal(bad.statusCode, 400);
  t.match(bad.json(), { code: 'request.invalid', message: /query: limit: Too small/ });
});

t.test('a machine\'s detail has OS facts, activation, hardware, office suites, findings and the software list', async (t) => {
  const res = await get(`/api/machines/${windowsId}`, unitAdmin);
  t.equal(res.statusCode, 200);
  const { machine } = res.json();
  t.match(machine, {
    id: windowsId,
    hostname: 'CAIWU-PC-03',
    os: { family: 'windows', product: 'Windows 10 Pro', build: '19045' },
    activation: { channel: 'kms', kmsHost: 'kms.example.net' },
    hardware: { uuid: '5f1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9', serial: 'PF3ABCDE', vendor: 'LENOVO', model: 'ThinkCentre M720t', macs: ['54:e1:ad:01:02:03'] },
    office: windows.office,
    findings: windows.findings,
    agents: [{ platform: 'linux', lastSeq: 1 }],
  });
  t.same(
    machine.software.map((s: { name: string; hive: string; installDate: string | null }) => [s.name, s.hive, s.installDate]),
    [
      ['Microsoft Office Professional Plus 2016', 'HKLM', '2021-03-04'],
      ['WPS Office (11.1.0.8612)', 'HKU\\S-1-5-21-1-2-3-1001', null],
    ],
  );
});

t.test('a machine outside the viewer\'s org answers 404 exactly like one that does not exist', async (t) => {
  const outside = await get(`/api/machines/${kylinId}`, unitAdmin);
  const missing = await get('/api/machines/00000000-0000-4000-8000-000000000000', unitAdmin);
  t.equal(outside.statusCode, 404);
  t.equal(missing.statusCode, 404);
  t.same(outside.json().code, missing.json().code);
  t.equal((await get(`/api/machines/${kylinId}`, countyViewer)).statusCode, 200, 'the county sees its school');
});

t.test('a machine id that is not a UUID gets 400 saying so', async (t) => {
  const res = await get('/api/machines/42', admin);
  t.equal(res.statusCode, 400);
  t.match(res.json(), { code: 'request.invalid', message: 'path: id: machine id must be a UUID' });
});
