/**
 * GET /api/findings pages through every finding that matches, with the total: filters (code,
 * severity, part of a hostname) apply to all findings in scope, not to one page. Bad filters get a
 * 400 that names the field; the list is unchanged after them.
 */
import t from 'tap';
import { ingestFullReport } from '../../../server/src/ingest/ingest-full.ts';
import { buildTestApp } from '../../helpers/db.ts';
import { fullReport } from '../helpers/inventory.ts';
import { signInAs } from '../live/helpers.ts';
import { createUnit, enrolMachine, officeSuite, windowsInventory } from './helpers.ts';

const testApp = await buildTestApp();
t.teardown(testApp.close);
const { app, db, database, seeded } = testApp;

const unit = await createUnit(db, seeded.rootOrgId, '区档案馆');
const otherUnit = await createUnit(db, seeded.rootOrgId, '区图书馆');
const viewer = await signInAs(app, db, unit.id, 'unit-viewer', 'dangan-kan');
const headers = { cookie: viewer.cookie, 'x-csrf-token': viewer.csrfToken };

// Every PC activates Windows against an unapproved KMS host; each with Microsoft Office (nothing
// bought) also has a licence shortfall. "Lab_%1" has the LIKE wildcards in its name.
const hostnames = ['DangAn-PC-01', 'dangan-pc-02', 'dangan-pc-03', 'Lab_%1', 'labx1'];
for (const hostname of hostnames) {
  const machine = await enrolMachine(database, unit, hostname);
  const office = hostname.startsWith('dangan') || hostname.startsWith('DangAn') ? [officeSuite('microsoft', 'Office Standard 2016', 'standard')] : [];
  await ingestFullReport(db, machine.agentId, fullReport(1, windowsInventory(hostname, { office, kmsHost: 'kms.03k.org' })));
}
const elsewhere = await enrolMachine(database, otherUnit, 'dangan-pc-99');
await ingestFullReport(db, elsewhere.agentId, fullReport(1, windowsInventory('dangan-pc-99', { office: [], kmsHost: 'kms.03k.org' })));

interface Page {
  findings: Array<{ id: string; hostname: string; severity: string; code: string }>;
  total: number;
}
const list = async (search: string) => {
  const res = await app.inject({ url: `/api/findings?${search}`, headers });
  t.equal(res.statusCode, 200, res.body);
  return res.json() as Page;
};

t.test('one page and the total of everything that matches; pages put together give every finding once', async (t) => {
  const all = await list('limit=1000');
  t.ok(all.total >= hostnames.length + 3, `a KMS finding per PC and a shortfall per Office PC (${all.total})`);
  t.equal(all.findings.length, all.total);
  t.notOk(all.findings.some((f) => f.hostname === 'dangan-pc-99'), "the other unit's findings are out of scope");
  const pages: Page[] = [];
  for (let offset = 0; offset < all.total; offset += 2) pages.push(await list(`limit=2&offset=${offset}`));
  t.ok(pages.every((p) => p.total === all.total), 'every page carries the same total');
  t.same(
    pages.flatMap((p) => p.findings.map((f) => f.id)),
    all.findings.map((f) => f.id),
  );
  t.same(await list(`limit=2&offset=${all.total + 10}`), { findings: [], total: all.total }, 'past the end: no rows, the total still');
});

t.test('severity and code filter every finding, not a page', async (t) => {
  const all = await list('limit=1000');
  for (const severity of new Set(all.findings.map((f) => f.severity))) {
    const page = await list(`severity=${severity}&limit=1`);
    t.equal(page.total, all.findings.filter((f) => f.severity === severity).length, `${severity}: total`);
    t.ok(page.findings.every((f) => f.severity === severity));
  }
  const kms = await list('code=kms.unapproved-host&limit=2');
  t.equal(kms.total, hostnames.length, 'one KMS finding per PC');
  t.equal(kms.findings.length, 2);
});

t.test('part of a hostname, any case; % and _ are taken literally', async (t) => {
  const kms = 'code=kms.unapproved-host';
  t.same((await list(`${kms}&hostname=DANGAN-pc`)).findings.map((f) => f.hostname).sort(), ['DangAn-PC-01', 'dangan-pc-02', 'dangan-pc-03']);
  t.same((await list(`${kms}&hostname=${encodeURIComponent('b_%')}`)).findings.map((f) => f.hostname), ['Lab_%1'], 'not "labx1"');
  t.same((await list(`${kms}&hostname=${encodeURIComponent('  pc-02  ')}`)).findings.map((f) => f.hostname), ['dangan-pc-02'], 'trimmed');
  t.same(await list(`${kms}&hostname=nowhere`), { findings: [], total: 0 });
});

t.test('bad filters: a 400 naming the field, and the list is as before', async (t) => {
  const before = await list('limit=1000');
  for (const [search, field] of [
    ['severity=urgent', 'severity'],
    [`hostname=${'x'.repeat(300)}`, 'hostname'],
    ['hostname=a%00b', 'hostname'],
    ['limit=0', 'limit'],
  ] as const) {
    const res = await app.inject({ url: `/api/findings?${search}`, headers });
    t.equal(res.statusCode, 400, search);
    t.match(res.body, field, `${search}: names ${field}`);
  }
  t.same(await list('limit=1000'), before);
});
