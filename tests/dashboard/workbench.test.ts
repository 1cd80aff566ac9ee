/**
 * The unit workbench in a real browser (Debian Chromium) against the real server and database:
 * a bureau admin turns an unrecognised program into a catalog product from the 软件 page and sees
 * it recognised with its machines; a unit admin enters a ledger row, sees licence positions (live)
 * and findings with what to do, fills the annual return, checks, submits and downloads the XLSX
 * (read back with exceljs); the bureau sees the roll-up and accepts the return.
 * Screenshots of every page at 1366x768 land in tests/.tmp/screenshots.
 */
import ExcelJS from 'exceljs';
import t from 'tap';
import type { Page } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { runAlertSweep } from '../../server/src/alerts/scheduler.ts';
import { ingestFullReport } from '../../server/src/ingest/ingest-full.ts';
import { createUser } from '../../server/src/users/queries.ts';
import { buildTestApp, TEST_ADMIN_PASSWORD } from '../helpers/db.ts';
import { createUnit, enrolMachine, registry, windowsInventory } from '../server/compliance/helpers.ts';
import { fullReport } from '../server/helpers/inventory.ts';
import { openBrowser, runBrowserTestFile, screenshot, signIn } from './browser.ts';

let adminPassword = TEST_ADMIN_PASSWORD;
/** Dictionary keys shown raw on a page (the translate function shows an unknown key as itself). */
const untranslated: string[] = [];

/** A screenshot, after looking for untranslated keys on the page. */
async function shot(page: Page, name: string): Promise<void> {
  // Let opening modals and drawers finish their animation, so the picture shows what a person sees.
  await page.evaluate(() => Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => undefined))));
  const text = await page.evaluate(() => document.body.innerText);
  for (const match of text.matchAll(/\b(?:wb|err|menu|common|ledger|machines?)\.[a-zA-Z][\w.-]*/g)) untranslated.push(`${name}: ${match[0]}`);
  await screenshot(page, name);
}

await runBrowserTestFile(runWorkbenchTests);

async function runWorkbenchTests() {
  const testApp = await buildTestApp({ listen: true });
  t.teardown(testApp.close);
  const { db, database, seeded, baseUrl } = testApp;
  const unit = await createUnit(db, seeded.rootOrgId, '市财政局');
  await createUser(db, { username: 'caizheng-admin', password: 'caizheng-admin-pw', orgId: unit.id, role: 'unit-admin' });
  await createUser(db, { username: 'caizheng-viewer', password: 'caizheng-viewer-pw', orgId: unit.id, role: 'unit-viewer' });
  const year = new Date().getFullYear();

  // Two Windows 10 Pro PCs run a billing program no rule knows; the first activates against a
  // KMS host the unit never approved (a kms.unapproved-host finding).
  const acme = registry('Acme Billing 3.1', 'Acme Co., Ltd.');
  const report = async (hostname: string, input: Parameters<typeof windowsInventory>[1]) => {
    const machine = await enrolMachine(database, unit, hostname);
    await ingestFullReport(db, machine.agentId, fullReport(1, windowsInventory(hostname, input)));
  };
  await report('caizheng-pc-01', { kmsHost: 'kms.example.cn', software: [acme, registry('7-Zip 23.01 (x64)', 'Igor Pavlov')] });
  await report('caizheng-pc-02', { software: [acme, registry('WinRAR 6.24 (64-位)', 'win.rar GmbH')] });

  const browser = await openBrowser();
  t.teardown(browser.close);
  const page = await browser.context.newPage();
  page.setDefaultTimeout(20_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => {
    pageErrors.push(error.message);
    t.comment(`page error: ${error.message}`);
  });
  const menu = (name: string) => page.locator('.ant-layout-sider .ant-menu').getByText(name, { exact: true }).click();

  t.test('a bureau admin adds a recognition rule from the unrecognised queue and the product is recognised', async (t) => {
    await signInAsAdmin(page, baseUrl);
    await menu('软件');
    await page.locator('[data-testid=software-page]').waitFor();
    await page.locator('[data-testid=installs-7-zip]').waitFor();
    t.equal(await page.locator('[data-testid=installs-7-zip]').innerText(), '1', '7-Zip (free) is listed with its one computer');
    await shot(page, 'wb-01-software-recognised');

    await page.locator('[data-testid=tab-unrecognised]').click();
    const row = page.locator('.ant-table-row', { hasText: 'Acme Billing 3.1' });
    await row.waitFor();
    t.ok(await row.getByText('2', { exact: true }).isVisible(), 'the program is on two computers');
    // The search goes to the server: nothing matches a name nobody runs, and clearing brings the queue back.
    const search = page.locator('input[data-testid=unrecognised-search], [data-testid=unrecognised-search] input').first();
    await search.fill('no such program');
    await search.press('Enter');
    await page.getByText('没有名称或发行商符合的待识别软件。').waitFor();
    await search.fill('acme co');
    await search.press('Enter');
    await row.waitFor();
    await shot(page, 'wb-02-software-unrecognised');
    await row.getByRole('button', { name: '添加识别规则' }).click();
    const modal = page.locator('.ant-modal', { hasText: '添加识别规则' });
    await modal.waitFor();
    t.equal(await modal.locator('input#name').inputValue(), '^Acme Billing', 'the proposed pattern leaves the version out');
    t.equal(await modal.locator('input#newId').inputValue(), 'acme-billing', 'a product id is proposed');
    await modal.getByText('能匹配这条软件记录。').waitFor();
    await shot(page, 'wb-03-software-rule');
    await modal.locator('.ant-btn-primary').click();
    await page.getByText(/规则已生效：\d+ 项授权状况已重新计算/).waitFor();
    await page.locator('.ant-tabs-tab', { hasText: '已识别软件' }).click();
    await page.locator('[data-testid=installs-acme-billing]').waitFor();
    t.equal(await page.locator('[data-testid=installs-acme-billing]').innerText(), '2', 'Acme Billing is recognised on both computers at once');
    await page.locator('[data-testid=installs-acme-billing]').click();
    const drawer = page.locator('[data-testid=product-machines]');
    await drawer.getByText('caizheng-pc-02').waitFor();
    t.ok(await drawer.getByRole('link', { name: 'caizheng-pc-01' }).isVisible(), 'each machine behind the count opens its page');
    await shot(page, 'wb-04-software-machines');
    await drawer.getByRole('link', { name: 'caizheng-pc-01' }).click();
    await page.locator('[data-testid=machine-detail]').getByText('Acme Billing 3.1').waitFor();
    t.pass('the drill-down ends on the machine page');
  });

  t.test('a unit admin enters a ledger row', async (t) => {
    await signOut(page);
    await signIn(page, baseUrl, 'caizheng-admin', 'caizheng-admin-pw');
    await page.locator('[data-testid=overview]').waitFor();
    for (const name of ['软件', '授权状况', '问题', '年度报表']) t.ok(await page.locator('.ant-layout-sider .ant-menu').getByText(name, { exact: true }).isVisible(), `menu ${name}`);
    await menu('授权台账');
    await page.locator('[data-testid=ledger-page]').waitFor();
    await page.locator('button', { hasText: '新增授权' }).click();
    await page.locator('.ant-modal input#product').fill('WPS Office 2019');
    await page.locator('.ant-select-item-option', { hasText: 'WPS Office 2019 专业版' }).first().click();
    await page.locator('.ant-modal input#quantity').fill('5');
    await page.locator('.ant-modal input#contractNo').fill('HT-2025-WPS');
    await page.locator('.ant-modal .ant-btn-primary').click();
    await page.locator('[data-testid=ledger-page] td', { hasText: 'HT-2025-WPS' }).waitFor();
    t.pass('the WPS licence is in the ledger');
  });

  t.test('licence positions: numbers, the machines behind them, live without a reload', async (t) => {
    await menu('授权状况');
    await page.locator('[data-testid=positions-page]').waitFor();
    const shortfall = page.locator('[data-testid^=shortfall-windows]').first();
    await shortfall.waitFor();
    t.equal(await shortfall.innerText(), '2', 'two Windows installs without a licence');
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
    await report('caizheng-pc-03', {});
    await page.locator('[data-testid^=shortfall-windows]', { hasText: /^3$/ }).first().waitFor();
    t.equal(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), true, 'a third PC raised the shortfall without a reload');
    await page.locator('[data-testid=definitions] .ant-collapse-header').click();
    await page.locator('[data-testid=definitions]').getByText('正版化率（合规率）').waitFor();
    await shot(page, 'wb-05-positions');
    await page.locator('[data-testid^=shortfall-windows]').first().click();
    const drawer = page.locator('[data-testid=position-detail]');
    await drawer.getByRole('link', { name: 'caizheng-pc-03' }).waitFor();
    t.ok(await drawer.getByText(/有 3 台计算机的安装没有有效授权覆盖/).isVisible(), 'the drawer says what to do about the shortfall');
    await shot(page, 'wb-06-position-detail');
    await drawer.locator('.ant-drawer-close').click();
  });

  t.test('findings with their evidence and what to do', async (t) => {
    await menu('问题');
    await page.locator('[data-testid=findings-page]').waitFor();
    await page.locator('[data-testid=findings-summary]').getByText('KMS 主机未经批准').waitFor();
    const row = page.locator('.ant-table-row', { hasText: 'KMS 主机未经批准' });
    await row.click();
    const expanded = page.locator('[data-testid=finding-expanded]');
    await expanded.getByText(/请管理员在“设置”中把它加入批准的 KMS 主机/).waitFor();
    t.ok(await expanded.getByText(/kms\.example\.cn/).first().isVisible(), 'the evidence names the KMS host');
    await expanded.scrollIntoViewIfNeeded();
    await shot(page, 'wb-07-findings');

    // The hostname search goes to the server: the rows and the total are those of every finding.
    const rows = page.locator('[data-testid=findings-page] .ant-table-row');
    const search = page.locator('input[data-testid=findings-hostname-search], [data-testid=findings-hostname-search] input').first();
    await search.fill('PC-03');
    await search.press('Enter');
    await page.waitForURL(/hostname=PC-03/);
    // Until the filtered page arrives the previous rows stay on screen.
    await page.waitForFunction(() => {
      const links = Array.from(document.querySelectorAll('[data-testid=findings-page] .ant-table-row a[href^="/machines/"]'));
      return links.length > 0 && links.every((a) => a.textContent === 'caizheng-pc-03');
    });
    const hosts = await page.locator('[data-testid=findings-page] .ant-table-row a[href^="/machines/"]').allInnerTexts();
    t.ok(hosts.length > 0 && hosts.every((h) => h === 'caizheng-pc-03'), `only caizheng-pc-03's findings (${hosts.join(', ')})`);
    t.equal(await page.locator('.ant-pagination-total-text').innerText(), `共 ${await rows.count()} 条`, 'the total is what the server counted');
    await shot(page, 'wb-07-findings-search');
    await search.fill('');
    await page.waitForURL((url) => !url.search.includes('hostname='));
  });

  t.test('the unit admin fills the annual return, checks, submits and downloads the XLSX', async (t) => {
    await menu('年度报表');
    await page.locator('[data-testid=annual-return-unit]').waitFor();
    const current = page.locator('[data-testid=row-current]');
    await page.locator('[data-testid=figure-computers]', { hasText: /^3$/ }).waitFor();
    t.equal(await page.locator('[data-testid=figure-windows]').innerText(), '3');
    t.equal(await page.locator('[data-testid=figure-wps]').innerText(), '5', 'the WPS sets come from the ledger row');
    await page.locator('[data-testid=figure-computers]').click();
    const evidence = page.locator('[data-testid=figure-evidence]');
    await evidence.getByRole('link', { name: 'caizheng-pc-03' }).waitFor();
    t.equal(await evidence.locator('.ant-table-row').count(), 3, 'the figure opens the three machines it counts');
    await evidence.locator('.ant-drawer-close').click();
    await page.locator('[data-testid=figure-wps]').click();
    await evidence.getByText('HT-2025-WPS').waitFor();
    await evidence.locator('.ant-drawer-close').click();

    await page.locator('[data-testid=return-submit]').click();
    await page.locator('[data-testid=return-checks]').getByText('请填写工作人员总数。').waitFor();
    t.pass('submission without a staff count is stopped by the check');
    await page.locator('input#staffCount').fill('25');
    await page.locator('input#head').fill('张局长');
    await page.locator('input#liaison').fill('李联络');
    await page.locator('input#contact').fill('0731-88889999');
    await page.locator('[data-testid=return-check]').click();
    await page.locator('[data-testid=return-checks]').getByText('核对通过，可以报送。').waitFor();
    t.equal(await current.locator('[data-testid=cell-staff]').innerText(), '25', 'the typed staff count shows in the form');
    await shot(page, 'wb-08-annual-return-fill');
    await page.locator('[data-testid=return-submit]').click();
    await page.locator('.ant-modal-confirm .ant-btn-primary').click();
    await page.locator('[data-testid=return-status][data-status=submitted]').first().waitFor();
    t.ok(await page.locator('[data-testid=return-versions]').getByText('V1').isVisible(), 'version 1 is kept');
    t.equal(await page.locator('[data-testid=return-fill]').count(), 0, 'a submitted return cannot be edited');
    await shot(page, 'wb-09-annual-return-submitted');

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=download-xlsx]').click()]);
    t.match(download.suggestedFilename(), /\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile((await download.path())!)) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    t.equal(sheet.getCell('A1').value, '计算机设备及办公软件使用情况汇总表');
    t.equal(sheet.getCell('A6').value, `${year} 年`);
    t.same(
      ['B6', 'C6', 'D6', 'E6', 'F6', 'G6'].map((cell) => sheet.getCell(cell).value),
      [25, 3, 3, 0, 0, 5],
      'staff 25, computers 3, Windows 3, Kylin 0, Microsoft Office 0, WPS 5',
    );
  });

  t.test('the print view is the A4 form', async (t) => {
    const [print] = await Promise.all([browser.context.waitForEvent('page'), page.getByText('打印预览').click()]);
    await print.locator('[data-testid=annual-return-print] [data-testid=return-form]').waitFor();
    t.ok(await print.getByText('主要负责人签字：').isVisible(), 'a signature line for the head');
    t.ok(await print.getByText('（单位盖章）').isVisible(), 'a space for the seal');
    t.equal(await print.locator('[data-testid=cell-staff]').first().innerText(), '25', 'the submitted figures');
    await print.setViewportSize({ width: 1366, height: 768 });
    await shot(print, 'wb-10-annual-return-print');
    await print.close();
  });

  t.test('the bureau sees the roll-up and accepts the return', async (t) => {
    await signOut(page);
    await signInAsAdmin(page, baseUrl);
    await menu('年度报表');
    const rollup = page.locator('[data-testid=annual-return-rollup]');
    await rollup.getByRole('link', { name: '市财政局' }).waitFor();
    t.ok(await rollup.locator('.ant-table-row', { hasText: '市财政局' }).getByText('已报送，待审核').isVisible(), 'the unit awaits review');
    await shot(page, 'wb-11-annual-return-rollup');
    await rollup.getByRole('link', { name: '市财政局' }).click();
    await page.locator('[data-testid=return-accept]').click();
    await page.locator('[data-testid=return-status][data-status=accepted]').first().waitFor();
    t.pass('accepted');
    // The periodic sweep raises the alerts (shortfalls, the KMS finding); run it now rather than wait.
    await runAlertSweep(testApp.app);
    await page.reload();
    await page.locator('[data-testid=alerts-bell] .ant-badge-count').waitFor();
    await page.locator('[data-testid=alerts-bell] button').click();
    await page.locator('[data-testid=alerts-page] .ant-table-row').first().waitFor();
    t.ok(await page.locator('[data-testid=alerts-page]').getByText('新增授权缺口').first().isVisible(), 'the shortfall is an alert');
    const texts = await page.locator('[data-testid=alert-text]').allInnerTexts();
    t.ok(texts.some((text) => /缺 \d+ 套授权：安装 \d+ 台，已有授权覆盖 \d+ 台。/.test(text)), `the shortfall said in Chinese from its figures (${texts.join(' | ')})`);
    await shot(page, 'wb-12-alerts');
    await page.locator('.ant-segmented').getByText('EN').click();
    await page.locator('[data-testid=alert-text]', { hasText: /is short of \d+ licence\(s\): installed on \d+ computer\(s\), \d+ covered\./ }).first().waitFor();
    t.notOk((await page.locator('[data-testid=alert-text]').allInnerTexts()).some((text) => /[缺台]/.test(text)), 'and in English');
    await shot(page, 'wb-12-alerts-en');
    await page.locator('.ant-segmented').getByText('中文').click();
  });

  t.test('a unit viewer reads the workbench without any write button, also in English', async (t) => {
    await signOut(page);
    await signIn(page, baseUrl, 'caizheng-viewer', 'caizheng-viewer-pw');
    await page.locator('[data-testid=overview]').waitFor();
    await menu('年度报表');
    await page.locator('[data-testid=return-status][data-status=accepted]').first().waitFor();
    t.equal(await page.locator('[data-testid=return-fill]').count(), 0, 'no fill-in form');
    t.equal(await page.locator('[data-testid=return-accept]').count(), 0, 'no accept button');
    await menu('软件');
    await page.locator('[data-testid=tab-unrecognised]').click();
    await page.getByText(/请联系主管部门管理员添加识别规则/).waitFor();
    t.equal(await page.getByRole('button', { name: '添加识别规则' }).count(), 0, 'no add-a-rule button');
    await menu('问题');
    await page.locator('[data-testid=findings-summary]').getByText('KMS 主机未经批准').waitFor();
    await page.locator('.ant-segmented').getByText('EN').click();
    await page.locator('[data-testid=findings-summary]').getByText('KMS host not approved').waitFor();
    await shot(page, 'wb-13-findings-en');
    await page.locator('.ant-layout-sider .ant-menu').getByText('Annual return', { exact: true }).click();
    await page.getByText('You are a viewer', { exact: false }).or(page.locator('[data-testid=return-status][data-status=accepted]')).first().waitFor();
    await shot(page, 'wb-14-annual-return-en');
    await page.locator('.ant-segmented').getByText('中文').click();
    await page.locator('.ant-layout-sider .ant-menu').getByText('总览', { exact: true }).waitFor();
  });

  t.test('no page error and no untranslated key on the way', async (t) => {
    t.same(pageErrors, [], 'no uncaught error in the page');
    t.same(untranslated, [], 'every string on the pages shot is translated');
  });
}

/** Signs in as the seeded admin, replacing the generated password when asked. */
async function signInAsAdmin(page: Page, baseUrl: string): Promise<void> {
  await signIn(page, baseUrl, 'admin', adminPassword);
  await Promise.race([page.getByText('设置新密码').waitFor(), page.locator('[data-testid=overview]').waitFor()]);
  if (await page.getByText('设置新密码').isVisible()) {
    await page.locator('input#currentPassword').fill(adminPassword);
    await page.locator('input#newPassword').fill('a-new-admin-password');
    await page.locator('input#repeat').fill('a-new-admin-password');
    await page.locator('button[type=submit]').click();
    adminPassword = 'a-new-admin-password';
  }
  await page.locator('[data-testid=overview]').waitFor();
}

/** Signs out through the header button. */
async function signOut(page: Page): Promise<void> {
  await page.locator('button[aria-label=退出登录]').click();
  await page.locator('input#username').waitFor();
}
