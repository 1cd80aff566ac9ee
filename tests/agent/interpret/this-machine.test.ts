import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { Inventory } from '@zhengban/protocol';
import type { EvidenceBundle } from '../../../agent/src/evidence/bundle.ts';
import { interpretEvidence } from '../../../agent/src/interpret/index.ts';

/** Builds a bundle from this machine's real files, the way capture would. */
function bundleFromThisMachine(): EvidenceBundle {
  const files = new Map<string, Uint8Array>();
  const add = (path: string) => {
    try {
      files.set(path.slice(1), new Uint8Array(readFileSync(path)));
    } catch {
      // Unreadable or absent: capture would leave it out too.
    }
  };
  for (const p of ['/etc/os-release', '/etc/lsb-release', '/etc/debian_version', '/etc/machine-id', '/var/lib/dpkg/status', '/proc/cpuinfo', '/proc/meminfo']) add(p);
  if (existsSync('/sys/class/dmi/id')) for (const n of readdirSync('/sys/class/dmi/id')) add(`/sys/class/dmi/id/${n}`);
  for (const n of readdirSync('/sys/class/net')) add(`/sys/class/net/${n}/address`);
  const commands = new Map([['uname', execFileSync('uname', ['-srm'], { encoding: 'utf8' })]]);
  return {
    manifest: { format: 'zhengban-evidence/1', platform: 'linux', capturedAt: new Date().toISOString(), hostname: 'this-machine', agentVersion: '0.1.0' },
    files,
    registry: [],
    wmi: new Map(),
    commands,
  };
}

const isDebian = existsSync('/var/lib/dpkg/status') && existsSync('/etc/os-release') && /^ID=debian$/m.test(readFileSync('/etc/os-release', 'utf8'));

t.test('this Debian machine: software count equals dpkg installed packages', { skip: isDebian ? false : 'not a Debian machine' }, async (t) => {
  const inventory = interpretEvidence(bundleFromThisMachine());
  t.ok(Inventory.safeParse(inventory).success, 'the inventory passes the protocol schema');
  const status = readFileSync('/var/lib/dpkg/status', 'utf8');
  const installed = status.match(/^Status: (install|hold) ok installed$/gm)?.length ?? 0;
  t.equal(inventory.software.length, installed, 'one software entry per installed dpkg package');
  // The held-package case cannot differ here unless something is on hold; the plain count is what issue 2 checks.
  const grepCount = Number(execFileSync('sh', ['-c', "grep -c '^Status: install ok installed' /var/lib/dpkg/status || true"], { encoding: 'utf8' }).trim());
  const held = status.match(/^Status: hold ok installed$/gm)?.length ?? 0;
  t.equal(inventory.software.length, grepCount + held, 'matches grep -c "^Status: install ok installed" (plus held packages)');
  t.ok(inventory.software.every((s) => s.source === 'dpkg' && /:/.test(s.id)), 'every entry comes from dpkg with a name:arch id');

  const osRelease = readFileSync('/etc/os-release', 'utf8');
  t.equal(inventory.os.family, 'linux');
  t.equal(inventory.os.product, /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease)?.[1]);
  t.equal(inventory.os.version, /^VERSION_ID="?([^"\n]*)"?$/m.exec(osRelease)?.[1]);
  t.equal(inventory.os.arch, execFileSync('uname', ['-m'], { encoding: 'utf8' }).trim());
  t.equal(inventory.os.kernel, execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim());
  t.same(inventory.os.activation, { status: 'unknown', channel: 'unknown' }, 'plain Linux has no activation concept');
  t.equal(inventory.hardware.machineId, readFileSync('/etc/machine-id', 'utf8').trim());
  t.ok(inventory.hardware.memoryMb && inventory.hardware.memoryMb > 0, 'memory is read from /proc/meminfo');
  t.same(inventory.findings, [], 'a plain Debian machine has nothing for an inspector to write down');
});
