import { access, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { Inventory } from '@zhengban/protocol';
import { readEvidenceBundle } from '../../../agent/src/evidence/io.ts';
import { decodeBundleText } from '../../../agent/src/evidence/text.ts';
import { interpretEvidence } from '../../../agent/src/interpret/index.ts';
import { AGENT_VERSION } from '../../../agent/src/version.ts';
import { REPO_ROOT, agentBinaries, runUnderWine, wineMissing, winePrefix, windowsPath } from './binaries.ts';
import { type MachineDetail, type MachineList, startRealServer } from './server.ts';

const skip = await wineMissing();
// Under wine every child process (reg.exe, wmic) takes a second or more: a live capture takes a minute.
t.setTimeout(1_200_000);

const FIXTURES = ['win10-pro-kmspico-loopback-kms-office2019', 'win7-pro-sp1-oem-office2010-msi-kms'];

async function setUp(t: Test) {
  const exe = windowsPath((await agentBinaries()).binaries.get('win-x64')!);
  const work = await mkdtemp(join(tmpdir(), 'zhengban-wine-'));
  t.teardown(() => rm(work, { recursive: true, force: true }));
  return { exe, work, run: (args: string[]) => runUnderWine(exe, args, work) };
}

t.test('the Windows binary runs under wine, prints the version and interprets bundles as the sources do', { skip }, async (t) => {
  const { run } = await setUp(t);
  const version = await run(['--version']);
  t.equal(version.code, 0, version.stderr);
  t.equal(version.stdout, `${AGENT_VERSION}\n`);
  for (const name of FIXTURES) {
    const dir = join(REPO_ROOT, 'tests', 'fixtures', 'evidence', name);
    const result = await run(['scan', '--evidence', windowsPath(dir), '--json']);
    t.equal(result.code, 0, `${name}: ${result.stderr}`);
    t.same(Inventory.parse(JSON.parse(result.stdout)), Inventory.parse(interpretEvidence(await readEvidenceBundle(dir))), `${name}: same inventory`);
  }
});

t.test('under wine the binary captures a live Windows bundle: registry, WMI through wmic, what is missing named', { skip }, async (t) => {
  const { run, work } = await setUp(t);

  // Live capture: wine has reg.exe and a wmic, no PowerShell, no licensing WMI classes.
  const capture = await run(['evidence', 'capture', '--out', windowsPath(join(work, 'live'))]);
  t.equal(capture.code, 0, capture.stderr);
  t.match(capture.stdout, /^wrote Z:\\.*live: 0 files, 1 command outputs, \d+ capture error\(s\)/);
  const bundle = await readEvidenceBundle(join(work, 'live'));
  t.equal(bundle.manifest.platform, 'windows');
  const registry = bundle.registry.join('\n');
  t.match(registry, /\[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\]/, 'the Uninstall key is exported');
  t.match(registry, /\[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\]\r\n"/, 'CurrentVersion values are captured');
  t.notMatch(registry, /DigitalProductId/, 'without the encoded product key');
  const regFile = (await readdir(join(work, 'live', 'registry')))[0]!;
  t.same([...(await readFile(join(work, 'live', 'registry', regFile))).subarray(0, 2)], [0xff, 0xfe], '.reg files are UTF-16LE as reg.exe writes them');
  t.ok(bundle.wmi.has('Win32_OperatingSystem'), 'WMI classes come from wmic when PowerShell gives nothing');
  t.match(bundle.manifest.errors, [{ source: 'wmi/SoftwareLicensingProduct', message: /PowerShell.*wmic/ }], 'what could not be read is named');
  t.equal(bundle.commands.get('file-exists'), '', 'no activator files on a clean prefix');
  const inventory = Inventory.parse(interpretEvidence(bundle));
  t.equal(inventory.os.family, 'windows');
  t.match(inventory.os.product, /^Windows 10/);
  t.match(decodeBundleText(await readFile(join(work, 'live', 'manifest.json'))), /"agentVersion": "0\.1\.0"/);
});

t.test('under wine the Windows binary enrols with the real server, reports a Windows bundle (the machine and its software appear in the REST API), and installs itself as a SYSTEM task', { skip }, async (t) => {
  const { run, work, exe } = await setUp(t);
  const server = await startRealServer(t);
  const stateDir = windowsPath(join(work, 'state'));
  // Enrolment is an HTTP POST through node's http client (fetch's undici cannot connect under wine).
  const enrolled = await run(['enroll', '--server', server.app.baseUrl, '--token', server.token, '--state-dir', stateDir]);
  t.equal(enrolled.code, 0, enrolled.stderr);
  t.match(enrolled.stdout, /^enrolled with http:\/\/127\.0\.0\.1:\d+ as agent /);

  // wine has no Windows registry worth reporting, so the agent reports a captured Windows 10 bundle
  // (run --evidence); the scan runs in the binary's own internal-scan process, as on Windows.
  const name = 'win10-pro-kmspico-loopback-kms-office2019';
  const dir = join(REPO_ROOT, 'tests', 'fixtures', 'evidence', name);
  const expected = Inventory.parse(interpretEvidence(await readEvidenceBundle(dir)));
  const once = await run(['run', '--once', '--evidence', windowsPath(dir), '--state-dir', stateDir, '--timeout', '90s']);
  t.equal(once.code, 0, once.stderr);
  t.match(once.stdout, /^delivered: 1 report\(s\) acknowledged/);

  const list = await server.getJson<MachineList>('/api/machines');
  const listed = list.machines.find((m) => m.hostname === expected.hostname);
  t.ok(listed, `machine ${expected.hostname} appears in the REST API`);
  const { machine } = await server.getJson<{ machine: MachineDetail }>(`/api/machines/${listed!.id}`);
  t.match(machine.os, { family: 'windows', product: expected.os.product }, 'with the operating system the bundle shows');
  t.same(machine.software.map((s) => s.name).sort(), expected.software.map((s) => s.name).sort(), 'and every software entry the agent interpreted');
  t.match(machine.agents, [{ platform: 'windows' }], 'reported by the Windows agent');

  const status = await run(['status', '--json', '--state-dir', stateDir]);
  t.equal(status.code, 0, status.stderr);
  t.match(JSON.parse(status.stdout), { enrolled: true, outboxLength: 0, lastAck: { seq: 1, result: 'applied' }, lastScan: { ok: true } });

  // install registers the scheduled task with wine's schtasks; uninstall removes it.
  const taskFile = join(await winePrefix(), 'drive_c', 'windows', 'system32', 'tasks', 'zhengban-agent');
  const install = await run(['install', '--state-dir', stateDir]);
  t.equal(install.code, 0, install.stderr);
  t.match(install.stdout, /^installed: scheduled task "zhengban-agent" runs the agent as SYSTEM at boot/);
  // wine's Task Scheduler keeps only part of a definition (no triggers, principal or command), so
  // the registered task shows that schtasks accepted and parsed our XML, and the XML kept in the
  // state directory shows what it was given.
  const registered = decodeBundleText(await readFile(taskFile));
  t.match(registered, /<Description>zhengban agent: reports installed and activated software/, 'the task is registered under its name');
  t.match(registered, '<MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>', 'with the settings parsed from our XML');
  t.match(registered, '<ExecutionTimeLimit>PT0S</ExecutionTimeLimit>');
  const given = decodeBundleText(await readFile(join(work, 'state', 'zhengban-agent-task.xml')));
  t.match(given, `<Command>${exe}</Command>`, 'the task starts this very executable');
  t.match(given, `<Arguments>run --state-dir ${stateDir}</Arguments>`);
  t.match(given, '<UserId>S-1-5-18</UserId>');
  const uninstall = await run(['uninstall', '--state-dir', stateDir]);
  t.equal(uninstall.code, 0, uninstall.stderr);
  await t.rejects(access(taskFile), { code: 'ENOENT' }, 'the task is gone');
});
