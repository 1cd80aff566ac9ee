/**
 * Machines without agents and retirement in a real browser (Debian Chromium) against the real
 * server and database: a unit admin registers an air-gapped PC from the 计算机 page, imports a list
 * (a file with a problem is refused row by row, the corrected one imported whole), then retires a
 * PC from its detail page with a reason and restores it; a viewer sees no such buttons. The
 * annual return's draft follows each step. Screenshots land in tests/.tmp/screenshots.
 */
import t from 'tap';
import type { Page } from 'playwright-core';
import { createUser } from '../../server/src/users/queries.ts';
import { buildTestApp } from '../helpers/db.ts';
import { createUnit } from '../server/compliance/helpers.ts';
import { openBrowser, runBrowserTestFile, screenshot, signIn } from './browser.ts';

/** Dictionary keys shown raw on a page (the translate function shows an unknown key as itself). */
const untranslated: string[] = [];

async function shot(page: Page, name: string): Promise<void> {
  // Let opening modals finish their animation; never wait on endless ones (spinners).
  await page.evaluate(() =>
    Promise.race([
      Promise.all(document.getAnimations().filter((a) => a.effect?.getComputedTiming().iterations !== Infinity).map((a) => a.finished.catch(() => undefined))),
      new Promise((resolve) => setTimeout(resolve, 2_000)),
    ]),
  );
  const text = await page.evaluate(() => document.body.innerText);
  for (const match of text.matchAll(/\b(?:mreg|mret|err|machines?)\.[a-zA-Z][\w.-]*/g)) untranslated.push(`${name}: ${match[0]}`);
  await screenshot(page, name);
}

await runBrowserTestFile(runTests);

async function runTests() {
  const testApp = await buildTestApp({ listen: true, config: { alertSweepSeconds: 0 } });
  t.teardown(testApp.close);
  const { db, database, seeded, baseUrl } = testApp;
  const unit = await createUnit(db, seeded.rootOrgId, '市档案馆');
  await createUser(db, { username: 'dag-admin', password: 'dag-admin-password', orgId: unit.id, role: 'unit-admin' });
  await createUser(db, { username: 'dag-viewer', password: 'dag-viewer-password', orgId: unit.id, role: 'unit-viewer' });
  const year = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
  const machineId = async (hostname: string) => (await database.query<{ id: string }>('SELECT id FROM machines WHERE hostname = $1', [hostname]))[0]!.id;
  // The draft as the API computes it, to check each step moved it.
  const draft = async () => {
    const res = await testApp.app.inject({ url: `/api/annual-returns/units/${unit.id}?year=${year}`, headers: { cookie: await page.context().cookies().then((c) => c.map((x) => `${x.name}=${x.value}`).join('; ')) } });
    return res.json().annualReturn.draft.figures as { computers: number; windows: number; kylin: number };
  };

  const browser = await openBrowser();
  t.teardown(browser.close);
  const page = await browser.context.newPage();
  page.setDefaultTimeout(20_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  t.test('a unit admin registers an air-gapped PC from the machine list', async (t) => {
    await signIn(page, baseUrl, 'dag-admin', 'dag-admin-password');
    await page.locator('[data-testid=overview]').waitFor();
    await page.goto(`${baseUrl}/machines`);
    await page.locator('[data-testid=machines-page]').waitFor();
    await page.locator('[data-testid=machine-register-open]').click();
    await page.locator('[data-testid=machine-register-hostname]').fill('涉密-档案-01');
    await page.locator('[data-testid=machine-register-os]').click();
    await page.locator('.ant-select-item-option').getByText('银河麒麟', { exact: true }).click();
    await page.getByLabel('资产编号').fill('DAG-2026-001');
    await page.getByLabel('使用部门').fill('档案保管科');
    await shot(page, 'machine-register');
    await page.locator('.ant-modal-footer').getByRole('button', { name: '登 记' }).or(page.locator('.ant-modal-footer').getByRole('button', { name: '登记' })).click();
    await page.getByText('已登记：涉密-档案-01').waitFor();
    await page.locator('[data-testid=machines-page]').getByText('涉密-档案-01').waitFor();
    t.same(await draft(), { computers: 1, windows: 0, kylin: 1, msOffice: 0, wps: 0 }, 'the return counts it as a Kylin computer');
  });

  t.test('a list with a problem is refused row by row; the corrected list is imported whole', async (t) => {
    await page.locator('[data-testid=machine-import-open]').click();
    const input = page.locator('.ant-modal input[type=file]');
    const csv = (rows: string[]) => Buffer.from(['计算机名称,操作系统,资产编号,序列号,使用部门,备注', ...rows].join('\r\n') + '\r\n', 'utf8');
    await input.setInputFiles({ name: '清单.csv', mimeType: 'text/csv', buffer: csv(['阅览室-01,Windows 7,DAG-2026-002,,阅览室,', '阅览室-02,麒麟,DAG-2026-003,,阅览室,']) });
    await page.locator('[data-testid=machine-import-problems]').getByText('未写明是银河麒麟还是中标麒麟', { exact: false }).waitFor();
    t.ok(await page.locator('[data-testid=machine-import-commit]').isDisabled(), 'nothing can be imported while a problem remains');
    await shot(page, 'machine-import-problems');
    await input.setInputFiles({ name: '清单.csv', mimeType: 'text/csv', buffer: csv(['阅览室-01,Windows 7,DAG-2026-002,,阅览室,', '阅览室-02,中标麒麟,DAG-2026-003,,阅览室,']) });
    await page.locator('[data-testid=machine-import-rows]').getByText('阅览室-02').waitFor();
    await shot(page, 'machine-import-preview');
    await page.locator('[data-testid=machine-import-commit]').click();
    await page.getByText('已导入 2 台计算机').waitFor();
    // 涉密-档案-01 (Kylin), 阅览室-01 (Windows), 阅览室-02 (NeoKylin: a computer, not Kylin).
    t.same(await draft(), { computers: 3, windows: 1, kylin: 1, msOffice: 0, wps: 0 });
  });

  t.test('retiring from the detail page takes the PC out of the return; restoring brings it back', async (t) => {
    await page.goto(`${baseUrl}/machines/${await machineId('阅览室-01')}`);
    await page.locator('[data-testid=machine-retirement]').waitFor();
    await page.locator('[data-testid=machine-retire-open]').click();
    await page.locator('[data-testid=machine-retire-reason]').fill('主板损坏，已报废');
    await shot(page, 'machine-retire');
    await page.locator('#machine-retire-confirm').click();
    await page.locator('[data-testid=machine-retired-tag]').waitFor();
    await page.locator('[data-testid=machine-retirement-history]').getByText('主板损坏，已报废').waitFor();
    await shot(page, 'machine-retired');
    t.same(await draft(), { computers: 2, windows: 0, kylin: 1, msOffice: 0, wps: 0 });

    await page.locator('[data-testid=machine-retire-open]').click();
    await page.locator('[data-testid=machine-retire-reason]').fill('更换主板后恢复使用');
    await page.locator('#machine-retire-confirm').click();
    await page.locator('[data-testid=machine-retirement-history]').getByText('更换主板后恢复使用', { exact: false }).waitFor();
    t.equal(await page.locator('[data-testid=machine-retired-tag]').count(), 0);
    t.same(await draft(), { computers: 3, windows: 1, kylin: 1, msOffice: 0, wps: 0 });
  });

  t.test('correcting the record: 阅览室-02 is a Kylin PC after all; a taken asset tag is refused in the form', async (t) => {
    await page.goto(`${baseUrl}/machines/${await machineId('阅览室-02')}`);
    await page.locator('[data-testid=machine-edit-open]').click();
    const modal = page.locator('.ant-modal', { has: page.locator('[data-testid=machine-edit-hostname]') });
    await modal.locator('[data-testid=machine-edit-asset-tag]').fill('DAG-2026-001');
    await page.locator('#machine-edit-save').click();
    await modal.locator('[data-testid=machine-edit-error]').getByText('本单位已有相同资产编号或序列号的计算机', { exact: false }).waitFor();
    await shot(page, 'machine-edit-refused');
    await modal.locator('[data-testid=machine-edit-asset-tag]').fill('DAG-2026-003');
    await modal.locator('.ant-select').click();
    await page.locator('.ant-select-item-option').getByText('银河麒麟', { exact: true }).click();
    await modal.locator('[data-testid=machine-edit-department]').fill('阅览室（二楼）');
    await page.locator('#machine-edit-save').click();
    await page.getByText('已保存登记信息').waitFor();
    await page.locator('[data-testid=machine-retirement]').getByText('阅览室（二楼）').waitFor();
    t.same(await draft(), { computers: 3, windows: 1, kylin: 2, msOffice: 0, wps: 0 }, 'the return counts it as Kylin now');
  });

  t.test('a viewer sees the history but no buttons', async (t) => {
    await page.context().clearCookies();
    await signIn(page, baseUrl, 'dag-viewer', 'dag-viewer-password');
    await page.locator('[data-testid=overview]').waitFor();
    await page.goto(`${baseUrl}/machines/${await machineId('阅览室-01')}`);
    await page.locator('[data-testid=machine-retirement-history]').waitFor();
    t.equal(await page.locator('[data-testid=machine-retire-open]').count(), 0);
    t.equal(await page.locator('[data-testid=machine-edit-open]').count(), 0);
    await page.goto(`${baseUrl}/machines`);
    await page.locator('[data-testid=machines-page]').waitFor();
    t.equal(await page.locator('[data-testid=machine-register-open]').count(), 0);
  });

  t.test('no untranslated text and no page errors', async (t) => {
    t.same(untranslated, []);
    t.same(pageErrors, []);
  });
}
