import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import t, { type Test } from 'tap';
import { captureLinuxEvidence } from '../../../agent/src/capture/linux.ts';
import { readEvidenceBundle, writeEvidenceBundle } from '../../../agent/src/evidence/index.ts';
import { AGENT_VERSION } from '../../../agent/src/version.ts';

async function tempDir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zhengban-capture-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

t.test('capturing this machine writes a valid manifest and verbatim copies of what it read', { skip: process.platform !== 'linux' && 'Linux only' }, async (t) => {
  const dir = await tempDir(t);
  const bundle = await captureLinuxEvidence();
  await writeEvidenceBundle(bundle, join(dir, 'bundle'));

  const manifest = JSON.parse(await readFile(join(dir, 'bundle', 'manifest.json'), 'utf8'));
  t.match(manifest, { format: 'zhengban-evidence/1', platform: 'linux', hostname: hostname(), agentVersion: AGENT_VERSION });
  t.ok(Number.isFinite(Date.parse(manifest.capturedAt)), 'capturedAt is a timestamp');
  t.ok(Array.isArray(manifest.errors), 'errors lists the steps that failed (possibly none)');

  if (existsSync('/var/lib/dpkg/status')) {
    t.same(await readFile(join(dir, 'bundle', 'files/var/lib/dpkg/status')), await readFile('/var/lib/dpkg/status'), 'dpkg status identical to the real file');
  }
  for (const path of ['/etc/os-release', '/etc/machine-id', '/proc/meminfo']) {
    if (existsSync(path)) t.ok(existsSync(join(dir, 'bundle', 'files', path)), `${path} copied`);
  }
  for (const path of ['/etc/.kyinfo', '/etc/.kyactivation', '/opt/kingsoft/.auth/license2.dat']) {
    t.equal(existsSync(join(dir, 'bundle', 'files', path)), existsSync(path), `${path} in the bundle exactly when it exists here`);
  }
  t.equal(await readFile(join(dir, 'bundle', 'commands/uname.txt'), 'utf8'), execFileSync('uname', ['-srm'], { encoding: 'utf8' }), 'uname.txt is `uname -srm`');
  t.equal(existsSync(join(dir, 'bundle', 'commands/rpm-qa.txt')), hasCommand('rpm'), 'rpm-qa.txt exactly when rpm exists');

  const reread = await readEvidenceBundle(join(dir, 'bundle'));
  t.same([...reread.files.keys()].sort(), [...bundle.files.keys()].sort(), 'the written bundle reads back the same');
});

/** A machine's file system in miniature: what a Kylin desktop with two NICs and docker shows. */
async function fakeMachine(root: string): Promise<void> {
  const put = async (path: string, text: string) => {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  };
  await put('/usr/lib/os-release', 'NAME="Kylin"\nID=kylin\nVERSION_ID="v10"\n');
  await put('/etc/.kyinfo', '[dist]\nname=Kylin-Desktop\nmilestone=Kylin-Desktop-V10-SP1-General-Release-2303\narch=x86_64\n');
  await put('/etc/LICENSE', 'TERM:2026-12-31\n');
  await put('/var/lib/dpkg/status', 'Package: wps-office\nStatus: install ok installed\nVersion: 11.1.0.11698\n\n');
  await put('/usr/lib/systemd/system/kylin-activation-check.service', '[Unit]\nDescription=Kylin activation check\n');
  await put('/sys/class/dmi/id/sys_vendor', 'LENOVO\n');
  await put('/sys/class/dmi/id/product_name', 'ThinkCentre M930t\n');
  await put('/sys/class/dmi/id/product_uuid', '4c4c4544-0042-3510-8052-b4c04f4e3732\n');
  await put('/sys/devices/pci0000:00/0000:00:1f.6/placeholder', '');
  const nic = async (name: string, mac: string, options: { device?: boolean; bridge?: boolean } = {}) => {
    await put(`/sys/class/net/${name}/address`, `${mac}\n`);
    if (options.device) await symlink(join(root, '/sys/devices/pci0000:00/0000:00:1f.6'), join(root, `/sys/class/net/${name}/device`));
    if (options.bridge) await mkdir(join(root, `/sys/class/net/${name}/bridge`));
  };
  await nic('enp0s31f6', 'e0:d5:5e:aa:bb:cc', { device: true });
  await nic('wlp2s0', '3c:6a:a7:11:22:33', { device: true });
  await nic('lo', '00:00:00:00:00:00');
  await nic('docker0', '02:42:ac:11:00:01');
  await nic('veth1a2b3c', '6a:1b:2c:3d:4e:5f', { device: true });
  await nic('br0', '52:54:00:00:00:01', { device: true, bridge: true });
}

t.test('only physical network interfaces are captured: not loopback, docker, veth or bridges', async (t) => {
  const root = await tempDir(t);
  await fakeMachine(root);
  const bundle = await captureLinuxEvidence({ rootDir: root, runCommands: false, hostname: 'kylin-pc' });
  t.same([...bundle.files.keys()].filter((p) => p.startsWith('sys/class/net/')).sort(), [
    'sys/class/net/enp0s31f6/address',
    'sys/class/net/wlp2s0/address',
  ]);
});

t.test('files are copied when they exist, absence is not an error, and missing identity is recorded', async (t) => {
  const root = await tempDir(t);
  await fakeMachine(root);
  const bundle = await captureLinuxEvidence({ rootDir: root, runCommands: false, hostname: 'kylin-pc' });
  const files = [...bundle.files.keys()].filter((p) => !p.startsWith('sys/class/net/')).sort();
  t.same(files, [
    'etc/.kyinfo',
    'etc/LICENSE',
    'sys/class/dmi/id/product_name',
    'sys/class/dmi/id/product_uuid',
    'sys/class/dmi/id/sys_vendor',
    'usr/lib/os-release',
    'usr/lib/systemd/system/kylin-activation-check.service',
    'var/lib/dpkg/status',
  ], '/usr/lib/os-release stands in for the missing /etc/os-release; absent Kylin files are simply absent');
  t.equal(new TextDecoder().decode(bundle.files.get('etc/LICENSE')), 'TERM:2026-12-31\n', 'copied verbatim');
  t.same(bundle.manifest.errors, [{ source: '/sys/class/dmi/id/product_serial', message: 'not present' }], 'the only failure recorded is the missing serial');
  t.equal(bundle.commands.size, 0);
});

t.test('a machine without DMI data says so once', async (t) => {
  const root = await tempDir(t);
  await mkdir(join(root, 'sys/class/net'), { recursive: true });
  const bundle = await captureLinuxEvidence({ rootDir: root, runCommands: false });
  t.match(bundle.manifest.errors, [{ source: '/sys/class/dmi/id', message: /no DMI\/SMBIOS data/ }]);
});
