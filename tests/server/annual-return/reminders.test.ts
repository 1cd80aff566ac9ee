/**
 * Reminders before the 10 December deadline: the alert sweep raises one `annual-return.due` alert
 * per unit without a submitted or accepted return, at each stage (30 days, 7 days, the last day,
 * overdue), never twice for a stage; a unit that has submitted hears nothing. Sweeps move the clock
 * with `now`.
 */
import t from 'tap';
import { sweepAlerts } from '../../../server/src/alerts/sweep.ts';
import { reminderStageOf } from '../../../server/src/annual-return/reminders.ts';
import { decideReturn, submitReturn } from '../../../server/src/annual-return/service.ts';
import { SYSTEM_ACTOR } from '../../../server/src/audit/record.ts';
import { bootstrap } from '../../../server/src/bootstrap/bootstrap.ts';
import { buildRuleSet } from '../../../server/src/catalog/rules/index.ts';
import { insertOrg } from '../../../server/src/orgs/queries.ts';
import { createTestDatabase } from '../../helpers/db.ts';

t.test('the stage of a day', async (t) => {
  const cases: Array<[string, string | null, number | null]> = [
    ['2026-06-01', null, null],
    ['2026-11-09', null, null], // 31 days left
    ['2026-11-10', 'd30', 30],
    ['2026-12-02', 'd30', 8],
    ['2026-12-03', 'd7', 7],
    ['2026-12-08', 'd7', 2],
    ['2026-12-09', 'd1', 1],
    ['2026-12-10', 'd1', 0], // the deadline itself
    ['2026-12-11', 'overdue', -1],
    ['2026-12-31', 'overdue', -21],
    ['2027-01-01', null, null], // a new year: next December is far away
  ];
  for (const [day, stage, daysLeft] of cases) {
    const due = reminderStageOf(day);
    t.same(due && [due.stage, due.daysLeft], stage === null ? null : [stage, daysLeft], day);
  }
});

const testDb = await createTestDatabase();
t.teardown(testDb.close);
const { db } = testDb;
const seeded = await bootstrap(db, { adminPassword: 'test-admin-password' });
const year = 2026;
const deps = { products: buildRuleSet().products, today: `${year}-11-20` };
const typedIn = { staffCount: 10, head: '负责人', liaison: '联络员', contact: '0730-8888888', signedOn: `${year}-11-20` };

const bureau = await insertOrg(db, { parentId: seeded.rootOrgId, kind: 'bureau', name: '岳阳楼区版权局' });
const early = await insertOrg(db, { parentId: bureau.id, kind: 'unit', name: '早报单位', sector: '教育' });
const late = await insertOrg(db, { parentId: bureau.id, kind: 'unit', name: '迟报单位', sector: '教育' });
await submitReturn(db, SYSTEM_ACTOR, early.id, year, typedIn, deps);

// 10:00 in China on a given day.
const at = (day: string) => new Date(`${day}T10:00:00+08:00`);
const reminders = (raised: Awaited<ReturnType<typeof sweepAlerts>>['raised']) =>
  raised.filter((a) => a.kind === 'annual-return.due').map((a) => [a.orgId, a.subject]).sort();

t.test('no reminder before 10 November', async (t) => {
  t.same(reminders((await sweepAlerts(db, { now: at(`${year}-11-01`) })).raised), []);
});

t.test('30 days before: every unit that has not submitted is reminded once; bureaus and the unit that submitted are not', async (t) => {
  const sweep = await sweepAlerts(db, { now: at(`${year}-11-12`) });
  t.same(reminders(sweep.raised), [[late.id, `annual-return:${year}:d30`], [seeded.defaultUnitId, `annual-return:${year}:d30`]].sort());
  t.match(sweep.raised.find((a) => a.orgId === late.id), { message: '2026 年度报表（计算机设备及办公软件使用情况汇总表）尚未报送：2026-12-10 截止，还有 28 天', facts: { year: 2026, dueDate: '2026-12-10', daysLeft: 28 } });
  t.same(reminders((await sweepAlerts(db, { now: at(`${year}-11-13`) })).raised), [], 'the next day: the same stage is not alerted again');
});

t.test('7 days before, the last day and overdue: one reminder each', async (t) => {
  t.same(reminders((await sweepAlerts(db, { now: at(`${year}-12-04`) })).raised).map(([, s]) => s), [`annual-return:${year}:d7`, `annual-return:${year}:d7`]);
  await submitReturn(db, SYSTEM_ACTOR, seeded.defaultUnitId, year, typedIn, deps);
  t.same(reminders((await sweepAlerts(db, { now: at(`${year}-12-10`) })).raised), [[late.id, `annual-return:${year}:d1`]], 'the default unit submitted meanwhile');
  const overdue = await sweepAlerts(db, { now: at(`${year}-12-12`) });
  t.same(reminders(overdue.raised), [[late.id, `annual-return:${year}:overdue`]]);
  t.match(overdue.raised[0], { message: /已逾期 2 天$/, facts: { daysLeft: -2 } });
});

t.test('a returned form is a draft again: its unit is reminded', async (t) => {
  const [version] = await testDb.database.query<{ id: string }>('SELECT id FROM annual_returns WHERE org_id = $1', [early.id]);
  await decideReturn(db, SYSTEM_ACTOR, version!.id, { accept: false, reason: '请核对计算机总数' });
  t.same(reminders((await sweepAlerts(db, { now: at(`${year}-12-13`) })).raised), [[early.id, `annual-return:${year}:overdue`]]);
});
