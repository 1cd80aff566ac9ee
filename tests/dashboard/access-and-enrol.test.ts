/**
 * The unit workbench and admin pages in a real browser (Debian Chromium) against the real server:
 * - a unit admin creates an enrolment token, copies the Linux command from the page, runs it (the
 *   download and checksum lines as they are; the enrol line with the agent from source instead of
 *   the downloaded executable), and sees the computer appear;
 * - a unit admin cannot see or reach another unit's pages or data: menus, direct URLs, and API
 *   calls made from the page with the page's own session;
 * - roles see only the admin menus they can use, and typed admin URLs are refused;
 * - a bureau admin works the admin pages (org tree with the unit import, people, audit log,
 *   settings) and the machine list's filters, with screenshots at 1366x768 of each.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import type { Page } from 'playwright-core';
import { AGENT_PLATFORMS } from '../../server/src/agents/downloads.ts';
import { insertOrg } from '../../server/src/orgs/queries.ts';
import { createUser } from '../../server/src/users/queries.ts';
import { createEnrollmentToken } from '../../server/src/agents/enrollment-tokens.ts';
import { buildTestApp, TEST_ADMIN_PASSWORD } from '../helpers/db.ts';
import { AGENT_BIN, runAgent } from '../e2e/helpers/agent-cli.ts';
import { makeTempDir } from '../e2e/helpers/temp-dir.ts';
import { enrollAgent } from '../server/helpers/agent-client.ts';
import { openBrowser, runBrowserTestFile, screenshot, signIn } from './browser.ts';

const run = promisify(execFile);
await runBrowserTestFile(runBrowserTests);

async function runBrowserTests() {
  // Stand-in bytes for the Linux executable: the page's download and checksum lines are run for
  // real against them; the agent itself then runs from source.
  const downloadsDir = await makeTempDir('downloads');
  for (const { file } of AGENT_PLATFORMS.filter((p) => p.platform === 'linux-x64')) await writeFile(join(downloadsDir, file), `#!/bin/sh\necho stand-in ${file}\n`);
  const testApp = await buildTestApp({ listen: true, config: { agentDownloadsDir: downloadsDir } });
  t.teardown(testApp.close);
  const { db, seeded, baseUrl } = testApp;

  // 市版权局 -> 甲区版权局 -> 甲区财政局 (ours), 甲区卫健委; 市版权局 -> 乙县版权局 -> 乙县医院.
  const countyA = await insertOrg(db, { parentId: seeded.rootOrgId, kind: 'bureau', name: '甲区版权局', region: '甲区' });
  const ours = await insertOrg(db, { parentId: countyA.id, kind: 'unit', name: '甲区财政局', sector: '党政机关', region: '甲区', expectedMachines: 3 });
  const sibling = await insertOrg(db, { parentId: countyA.id, kind: 'unit', name: '甲区卫健委', sector: '党政机关', region: '甲区' });
  const countyB = await insertOrg(db, { parentId: seeded.rootOrgId, kind: 'bureau', name: '乙县版权局', region: '乙县' });
  const foreign = await insertOrg(db, { parentId: countyB.id, kind: 'unit', name: '乙县人民医院', sector: '医疗', region: '乙县' });
  const password = 'browser-test-password';
  for (const [username, orgId, role] of [
    ['caizheng-admin', ours.id, 'unit-admin'],
    ['caizheng-viewer', ours.id, 'unit-viewer'],
    ['yiyuan-admin', foreign.id, 'unit-admin'],
    ['jiaqu-viewer', countyA.id, 'bureau-viewer'],
    ['jiaqu-inspector', countyA.id, 'inspector'],
  ] as const) {
    await createUser(db, { username, password, orgId, role });
  }
  // Another unit's computers: one in the sibling unit, one in the other county.
  const enrolIn = async (orgId: string, hostname: string) => {
    const { token } = await createEnrollmentToken(db, { orgId, label: `${hostname} test` });
    const { agentId } = await enrollAgent(baseUrl, token, { hostname, platform: 'windows' });
    const [row] = await testApp.database.query<{ machine_id: string }>('SELECT machine_id FROM agents WHERE id = $1', [agentId]);
    return row!.machine_id;
  };
  const foreignMachine = await enrolIn(foreign.id, 'YIYUAN-PC-SECRET');
  const siblingMachine = await enrolIn(sibling.id, 'WEIJIAN-PC-SECRET');
  const FOREIGN_TEXT = ['YIYUAN-PC-SECRET', 'WEIJIAN-PC-SECRET', '乙县人民医院', '甲区卫健委', 'yiyuan-admin'];

  const browser = await openBrowser();
  t.teardown(browser.close);
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  const page = await browser.context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (error) => t.comment(`page error: ${error.message}`));
  const menu = () => page.locator('.ant-layout-sider .ant-menu');
  const signInAs = async (username: string, pass = password) => {
    await page.context().clearCookies();
    await signIn(page, baseUrl, username, pass);
    await page.locator('[data-testid=overview]').waitFor();
  };
  /** No text of another unit anywhere on the page. */
  const expectNoForeignText = async (t: { notOk: (value: unknown, message: string) => void }, where: string) => {
    const text = await page.locator('body').innerText();
    for (const marker of FOREIGN_TEXT) t.notOk(text.includes(marker), `${where}: ${marker} is not shown`);
  };

  t.test('a unit admin creates a token, copies the Linux command, enrols a real agent with it and sees the computer appear', async (t) => {
    await signInAs('caizheng-admin');
    await menu().getByText('部署').click();
    await page.locator('[data-testid=deployment-page]').waitFor();
    await page.locator('[data-testid=progress-text]', { hasText: '已注册 0 台 / 共 3 台' }).waitFor();
    await page.locator('[data-testid=create-token]').click();
    await page.locator('[data-testid=command-linux]').waitFor();
    await screenshot(page, '20-deployment-token');

    // Copy through the page's own copy button, as a person would, and read the clipboard.
    await page.locator('[data-testid=command-linux-block] .ant-typography-copy').click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    t.equal(copied, await page.locator('[data-testid=command-linux]').innerText(), 'the clipboard holds the command shown');
    const lines = copied.trim().split('\n');
    const file = 'zhengban-agent-linux-x64';
    t.same(
      lines.map((line) => line.replace(/--token \S+/, '--token <token>').replace(/[0-9a-f]{64}/, '<sha256>')),
      [
        `curl -fLO ${baseUrl}/agent/downloads/${file}`,
        `echo "<sha256>  ${file}" | sha256sum -c -`,
        `chmod +x ./${file}`,
        `sudo ./${file} enroll --server ${baseUrl} --token <token>`,
        `sudo ./${file} install`,
      ],
      'download, checksum, enrol, install',
    );

    // The download and checksum lines run as shown, in an empty directory.
    const workDir = await makeTempDir('install');
    for (const line of lines.slice(0, 3)) await run('sh', ['-c', line], { cwd: workDir });
    t.equal(await readFile(join(workDir, file), 'utf8'), await readFile(join(downloadsDir, file), 'utf8'), 'the downloaded file passed its SHA-256 check');

    // The enrol line, with the agent from source in place of the downloaded executable (and a
    // state directory of its own; the service line is not run on the test machine).
    const enrolLine = lines[3]!;
    const args = enrolLine.replace(`sudo ./${file} `, '').split(/\s+/);
    t.same(args.slice(0, 1), ['enroll']);
    const stateDir = await makeTempDir('agent');
    const enrolled = await runAgent([...args, '--state-dir', stateDir]);
    t.equal(enrolled.code, 0, `enroll exited 0: ${enrolled.stderr}`);
    await page.locator('[data-testid=progress-text]', { hasText: '已注册 1 台 / 共 3 台' }).waitFor();
    t.pass('the enrolment progress went from 0 to 1 of 3 without a reload');
    await screenshot(page, '21-deployment-enrolled');

    // The agent reports its inventory once; the computer is in the list with its OS.
    const reported = await runAgent(['run', '--once', '--state-dir', stateDir]);
    t.equal(reported.code, 0, `run --once exited 0: ${reported.stderr}`);
    await menu().getByText('计算机').click();
    const credentials = JSON.parse(await readFile(join(stateDir, 'credentials.json'), 'utf8')) as { agentId: string };
    const [machine] = await testApp.database.query<{ id: string; hostname: string }>('SELECT m.id, m.hostname FROM machines m JOIN agents a ON a.machine_id = m.id WHERE a.id = $1', [credentials.agentId]);
    await page.locator('[data-testid=machines-page]').getByText(machine!.hostname).waitFor();
    t.ok(await page.locator('[data-testid=machines-page] tbody tr').filter({ hasText: machine!.hostname }).getByText(/Linux|UOS|麒麟|Deepin/).count(), 'its OS is shown');
    t.ok(AGENT_BIN.endsWith('agent/bin/zhengban-agent.js'), 'the agent ran from source');
  });

  t.test('a unit admin cannot see or reach another unit\'s pages or data', async (t) => {
    // Menus: the workbench and the admin pages a unit admin uses, nothing of the bureau's.
    for (const entry of ['组织机构', '人员与角色', '审计日志', '设置']) t.ok(await menu().getByText(entry).isVisible(), `menu ${entry}`);

    await page.goto(`${baseUrl}/machines/${foreignMachine}`);
    await page.locator('.ant-alert-error').waitFor();
    // The same words as for a machine that does not exist: nothing to tell the two apart.
    t.match(await page.locator('.ant-alert-error').innerText(), '要找的记录不存在，或不在您的管理范围内', 'a clerk\'s sentence, not the server\'s English');
    await expectNoForeignText(t, 'another county\'s machine by URL');
    await page.goto(`${baseUrl}/machines/${siblingMachine}`);
    await page.locator('.ant-alert-error').waitFor();
    await expectNoForeignText(t, 'the sibling unit\'s machine by URL');
    await screenshot(page, '22-unit-admin-foreign-machine');

    await page.goto(`${baseUrl}/machines?orgId=${foreign.id}`);
    await page.locator('[data-testid=machines-page] .ant-alert-error').waitFor();
    await expectNoForeignText(t, 'the machine list filtered by another unit');

    for (const path of ['/admin/orgs', '/admin/users', '/admin/audit', '/admin/settings', '/machines', '/deployment']) {
      await page.goto(`${baseUrl}${path}`);
      await page.locator('.ant-layout-content .ant-card').first().waitFor();
      await page.waitForLoadState('networkidle');
      await expectNoForeignText(t, path);
    }
    await page.goto(`${baseUrl}/admin/orgs`);
    await page.locator('[data-testid=org-tree]').getByText('甲区财政局').waitFor();
    t.equal(await page.locator('[data-testid=org-tree] .ant-tree-treenode').count(), 1, 'the tree holds only the own unit');

    // The page's own session asking the API for another unit's records: refused like nonexistent ones.
    // Written as a string: the test's TypeScript transform would add helpers the page does not have.
    const answers = (await page.evaluate(`(async () => {
      const csrf = decodeURIComponent((/zhengban_csrf=([^;]+)/.exec(document.cookie) || [])[1] || '');
      const call = async (method, url, body) => {
        const res = await fetch(url, { method, headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: body === undefined ? undefined : JSON.stringify(body) });
        return { url: method + ' ' + url, status: res.status, text: await res.text() };
      };
      const foreignMachine = ${JSON.stringify(foreignMachine)}, foreignOrg = ${JSON.stringify(foreign.id)}, siblingOrg = ${JSON.stringify(sibling.id)};
      return [
        await call('GET', '/api/machines/' + foreignMachine),
        await call('GET', '/api/machines?orgId=' + foreignOrg),
        await call('GET', '/api/orgs/' + siblingOrg),
        await call('PATCH', '/api/orgs/' + foreignOrg, { phone: '0730-1234567' }),
        await call('GET', '/api/users?orgId=' + foreignOrg),
        await call('GET', '/api/audit?orgId=' + foreignOrg),
        await call('POST', '/api/enrollment-tokens', { orgId: foreignOrg, label: 'stolen', expiresInHours: 1 }),
        await call('GET', '/api/compliance/settings/' + foreignOrg),
        await call('GET', '/api/machines'),
        await call('GET', '/api/orgs'),
        await call('GET', '/api/users'),
        await call('GET', '/api/audit'),
      ];
    })()`)) as Array<{ url: string; status: number; text: string }>;
    for (const answer of answers.slice(0, 8)) t.equal(answer.status, 404, `${answer.url} is refused as not found`);
    for (const answer of answers.slice(8)) {
      t.equal(answer.status, 200, `${answer.url} answers`);
      for (const marker of [...FOREIGN_TEXT, foreignMachine, siblingMachine, foreign.id, sibling.id]) t.notOk(answer.text.includes(marker), `${answer.url} holds no ${marker}`);
    }
    const [phone] = await testApp.database.query<{ phone: string | null }>('SELECT phone FROM orgs WHERE id = $1', [foreign.id]);
    t.equal(phone!.phone, null, 'the other unit is unchanged');
  });

  t.test('each role sees only the admin menus it can use; typed admin URLs are refused', async (t) => {
    const cases: Array<[string, string[], string[]]> = [
      ['caizheng-viewer', ['审计日志'], ['组织机构', '人员与角色', '设置', '部署']],
      ['jiaqu-viewer', ['组织机构', '审计日志'], ['人员与角色', '设置', '部署']],
      ['jiaqu-inspector', [], ['系统管理', '组织机构', '人员与角色', '审计日志', '设置', '部署']],
    ];
    for (const [username, shown, hidden] of cases) {
      await signInAs(username);
      for (const entry of shown) t.ok(await menu().getByText(entry, { exact: true }).isVisible(), `${username} sees ${entry}`);
      for (const entry of hidden) t.equal(await menu().getByText(entry, { exact: true }).count(), 0, `${username} has no ${entry}`);
    }
    for (const path of ['/admin/users', '/admin/settings', '/admin/orgs', '/admin/audit']) {
      await page.goto(`${baseUrl}${path}`);
      await page.getByText('您的角色无权使用此页面。').waitFor();
    }
    t.pass('the inspector is refused every admin page by URL');
    await screenshot(page, '23-inspector-admin-refused');
  });

  t.test('a bureau admin works the org tree: a unit with all its fields, and a unit list imported after its problems are shown', async (t) => {
    await signInAs('admin', TEST_ADMIN_PASSWORD);
    if (await page.getByText('设置新密码').isVisible()) throw new Error('the test admin must not need a password change');
    await menu().getByText('组织机构').click();
    await page.locator('[data-testid=org-tree]').getByText('乙县版权局').click();
    await page.locator('[data-testid=org-create]').click();
    await page.locator('.ant-drawer input#name').fill('乙县第一中学');
    await page.locator('.ant-drawer input#creditCode').fill('91110000710925462X');
    await page.locator('.ant-drawer #sector').click();
    await page.locator('.ant-select-item-option', { hasText: '教育' }).click();
    await page.locator('.ant-drawer input#region').fill('乙县');
    await page.locator('.ant-drawer input#head').fill('王校长');
    await page.locator('.ant-drawer input#liaison').fill('李老师');
    await page.locator('.ant-drawer input#phone').fill('0730-8888888');
    await page.locator('.ant-drawer input#expectedMachines').fill('120');
    await screenshot(page, '24-org-create');
    await page.locator('[data-testid=org-save]').click();
    await page.locator('[data-testid=org-title]', { hasText: '乙县第一中学' }).waitFor();
    await page.locator('.ant-drawer-mask').waitFor({ state: 'hidden' });
    t.match(await page.locator('[data-testid=org-details]').innerText(), /91110000710925462X[\s\S]*教育[\s\S]*乙县[\s\S]*王校长[\s\S]*李老师[\s\S]*0730-8888888[\s\S]*已注册 0 台 \/ 共 120 台/);
    await screenshot(page, '25-org-tree');

    // A wrong credit code is refused with the reason, and nothing is created.
    await page.locator('[data-testid=org-tree]').getByText('乙县版权局').click();
    await page.locator('[data-testid=org-create]').click();
    await page.locator('.ant-drawer input#name').fill('错误代码单位');
    await page.locator('.ant-drawer input#creditCode').fill('91110000710925462Y');
    await page.locator('[data-testid=org-save]').click();
    await page.locator('[data-testid=org-form-error]').waitFor();
    t.match(await page.locator('[data-testid=org-form-error]').innerText(), /校验码|check/);
    await page.locator('.ant-drawer-close').click();
    await page.locator('.ant-drawer-mask').waitFor({ state: 'hidden' });

    // The unit import: a file with a problem is previewed with it and cannot be imported; the corrected one is.
    await page.locator('[data-testid=org-tree]').getByText('乙县版权局').click();
    await page.locator('[data-testid=org-import]').click();
    const importDir = await makeTempDir('import');
    await mkdir(importDir, { recursive: true });
    const heading = '单位名称,统一社会信用代码,行业,所属地区,主要负责人,联络员,联系电话,计算机台数';
    const bad = join(importDir, 'units-bad.csv');
    await writeFile(bad, `${heading}\n乙县农商银行,91440300708461136T,中小金融机构,乙县,赵行长,钱经理,0730-6666666,80\n乙县疾控中心,91330106673959654P,学校,乙县,孙主任,周科长,0730-5555555,四十\n`);
    await page.locator('.ant-modal input[type=file]').setInputFiles(bad);
    await page.locator('[data-testid=import-problems]').waitFor();
    const problems = await page.locator('[data-testid=import-problems]').innerText();
    t.match(problems, /3[\s\S]*行业[\s\S]*“学校”不是有效的行业/);
    t.match(problems, /3[\s\S]*计算机台数[\s\S]*应为 0 到 1000000 之间的整数/);
    t.ok(await page.locator('[data-testid=import-commit]').isDisabled(), 'import is not possible while the file has problems');
    await screenshot(page, '26-unit-import-problems');
    const good = join(importDir, 'units.csv');
    await writeFile(good, `${heading}\n乙县农商银行,91440300708461136T,中小金融机构,乙县,赵行长,钱经理,0730-6666666,80\n乙县疾控中心,91330106673959654P,医疗,乙县,孙主任,周科长,0730-5555555,40\n`);
    await page.locator('.ant-modal input[type=file]').setInputFiles(good);
    await page.locator('[data-testid=import-rows]').getByText('乙县疾控中心').waitFor();
    await screenshot(page, '27-unit-import-preview');
    await page.locator('[data-testid=import-commit]').click();
    await page.locator('[data-testid=org-tree]').getByText('乙县疾控中心').waitFor();
    const [count] = await testApp.database.query<{ n: number }>("SELECT count(*)::int AS n FROM orgs WHERE parent_id = $1 AND kind = 'unit'", [countyB.id]);
    t.equal(count!.n, 4, 'the two imported units are under the county');
  });

  t.test('a bureau admin creates a user with a role it may give; the temporary password is shown once', async (t) => {
    await menu().getByText('人员与角色').click();
    await page.locator('[data-testid=users-page]').getByText('caizheng-admin').waitFor();
    await page.locator('[data-testid=user-create]').click();
    await page.locator('.ant-drawer input#username').fill('yiyuan-viewer');
    await page.locator('.ant-drawer input#displayName').fill('张医生');
    await page.locator('[data-testid=user-org] input').fill('乙县人民医院');
    await page.locator('.ant-select-item-option', { hasText: '乙县人民医院' }).click();
    await page.locator('[data-testid=user-role]').click();
    const offered = await page.locator('.user-role-options .ant-select-item-option').allInnerTexts();
    t.same(offered, ['单位管理员', '单位查看员'], 'a unit gets unit roles only');
    await page.locator('.ant-select-item-option', { hasText: '单位查看员' }).click();
    await page.locator('[data-testid=user-save]').click();
    const temporary = await page.locator('[data-testid=temporary-password]').innerText();
    t.ok(temporary.length >= 12, 'a temporary password is shown');
    await screenshot(page, '28-user-created');
    await page.locator('.ant-modal-footer button', { hasText: '我已记下' }).click();
    await page.locator('[data-testid=users-page]').getByText('张医生').waitFor();
    t.ok(await page.locator('[data-testid=users-page] tr', { hasText: 'yiyuan-viewer' }).getByText('待修改初始密码').isVisible(), 'the account must change its password');
    // The password works once, and only to set a new one.
    const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'yiyuan-viewer', password: temporary }) });
    t.match(await res.json(), { user: { mustChangePassword: true, role: 'unit-viewer' } });
    await screenshot(page, '29-users');
  });

  t.test('the audit log shows who changed what, before and after', async (t) => {
    await menu().getByText('审计日志').click();
    await page.locator('[data-testid=audit-page]').getByText('新建用户').first().waitFor();
    await page.locator('[data-testid=audit-page] tbody tr', { hasText: '新建机构' }).first().click();
    await page.locator('[data-testid=audit-change]').getByText('乙县').first().waitFor();
    t.ok(await page.locator('[data-testid=audit-change]').getByText('expectedMachines').isVisible(), 'the fields of the change are listed');
    const href = await page.locator('[data-testid=audit-export-xlsx]').getAttribute('href');
    t.equal(href, '/api/audit/export?format=xlsx');
    const download = await page.evaluate(`fetch(${JSON.stringify(href)}).then((res) => ({ status: res.status, type: res.headers.get('content-type') }))`);
    t.match(download, { status: 200, type: /spreadsheetml/ }, 'the export downloads');
    await screenshot(page, '30-audit');
  });

  t.test('settings: approved KMS hosts of a unit and the alert webhook of a bureau', async (t) => {
    await menu().getByText('设置').click();
    await page.locator('[data-testid=settings-page]').waitFor();
    await page.locator('[data-testid=kms-hosts] input').fill('kms.example.gov.cn');
    await page.keyboard.press('Enter');
    await page.locator('input#webhookUrl').fill('https://oa.example.gov.cn/hooks/zhengban');
    await page.locator('[data-testid=settings-save]').click();
    await page.getByText('设置已保存，相关问题已重新计算。').waitFor();
    const [saved] = await testApp.database.query<{ approved_kms_hosts: string[]; webhook_url: string }>('SELECT approved_kms_hosts, webhook_url FROM compliance_settings WHERE org_id = $1', [seeded.rootOrgId]);
    t.same(saved, { approved_kms_hosts: ['kms.example.gov.cn'], webhook_url: 'https://oa.example.gov.cn/hooks/zhengban' });
    await screenshot(page, '31-settings');
  });

  t.test('the machine list filters on the server and keeps them in the URL', async (t) => {
    await page.goto(`${baseUrl}/machines?q=SECRET&sort=org&order=desc`);
    await page.locator('[data-testid=machines-page]').getByText('WEIJIAN-PC-SECRET').waitFor();
    const rows = await page.locator('[data-testid=machines-page] tbody tr.ant-table-row').allInnerTexts();
    // By unit, descending: 甲区卫健委 (甲 U+7532) before 乙县人民医院 (乙 U+4E59).
    t.match(rows, [/WEIJIAN-PC-SECRET/, /YIYUAN-PC-SECRET/], 'searched and sorted by the server');
    await page.locator('[data-testid=filter-findings]').click();
    await page.locator('.ant-select-item-option', { hasText: '有问题' }).click();
    await page.waitForURL(/findings=yes/);
    await page.getByText('没有符合筛选条件的计算机。').waitFor();
    t.match(page.url(), /q=SECRET/, 'the search stays in the URL with the new filter');
    await page.reload();
    await page.getByText('没有符合筛选条件的计算机。').waitFor();
    t.pass('a reload shows the same filtered list');
    await screenshot(page, '32-machines-filtered');
  });
}
