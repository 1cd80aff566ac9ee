import t from 'tap';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Inventory } from '@zhengban/protocol';
import { inventoryHash } from '@zhengban/protocol/hash';
import type { EvidenceBundle } from '../../../agent/src/evidence/bundle.ts';
import { interpretEvidence } from '../../../agent/src/interpret/index.ts';
import { loadBundle } from './load-bundle.ts';

const here = dirname(fileURLToPath(import.meta.url));
const encode = (s: string) => new TextEncoder().encode(s);

function bundle(platform: 'linux' | 'windows', parts: Partial<EvidenceBundle> = {}): EvidenceBundle {
  return {
    manifest: { format: 'zhengban-evidence/1', platform, capturedAt: '2025-03-18T10:00:00+08:00', hostname: 'h', agentVersion: '0.1.0' },
    files: new Map(),
    registry: [],
    wmi: new Map(),
    commands: new Map(),
    ...parts,
  };
}

t.test('an empty bundle still gives a valid inventory that says it knows nothing', async (t) => {
  for (const platform of ['linux', 'windows'] as const) {
    const inv = interpretEvidence(bundle(platform));
    t.ok(Inventory.safeParse(inv).success, `${platform}: valid`);
    t.equal(inv.os.family, platform === 'windows' ? 'windows' : 'linux');
    t.same(inv.os.activation, { status: 'unknown', channel: 'unknown' }, `${platform}: activation unknown, not unlicensed`);
    t.same(inv.software, []);
  }
});

t.test('hostile text is cleaned, not passed on: control characters, lone surrogates, huge values', async (t) => {
  const reg = [
    'Windows Registry Editor Version 5.00',
    '',
    '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\evil]',
    `"DisplayName"="Bad\u0000Name\u0007 \uD800 tool"`,
    `"DisplayVersion"="${'9'.repeat(1000)}"`,
    `"Publisher"="\u001b[31mred"`,
    '"InstallDate"="20241340"',
    '',
  ].join('\r\n');
  const inv = interpretEvidence(bundle('windows', { registry: [reg] }));
  t.ok(Inventory.safeParse(inv).success, 'the protocol schema accepts the result');
  const s = inv.software[0]!;
  t.equal(s.name, 'BadName \uFFFD tool');
  t.equal(s.version?.length, 128, 'cut to the column limit');
  t.equal(s.publisher, '[31mred');
  t.equal(s.installDate, undefined, 'an impossible date is dropped');
});

t.test('binary junk and GBK text in Linux files do not break interpretation', async (t) => {
  const gbkLicense = new Uint8Array([0x54, 0x45, 0x52, 0x4d, 0x3a, 0x32, 0x30, 0x32, 0x35, 0x2d, 0x30, 0x36, 0x2d, 0x33, 0x30, 0x0a, 0xd2, 0xf8, 0xba, 0xd3, 0x0a]);
  const inv = interpretEvidence(
    bundle('linux', {
      files: new Map([
        ['etc/os-release', encode('ID=kylin\nNAME="Kylin"\nVERSION_US="Kylin Linux Desktop V10 (SP1)"\nVERSION_ID="v10"\n')],
        ['etc/.kyinfo', encode('[dist]\nname=Kylin-Desktop\narch=arm64\n[os]\nterm=2025-06-30\n')],
        ['etc/LICENSE', gbkLicense],
        ['var/lib/dpkg/status', new Uint8Array([0, 1, 2, 255, 254, 10, 10])],
        ['proc/cpuinfo', new Uint8Array([0xff, 0x00, 0x41])],
      ]),
    }),
  );
  t.ok(Inventory.safeParse(inv).success);
  t.equal(inv.os.family, 'kylin', 'os-release is trusted when there is no package database to cross-check');
  t.equal(inv.os.arch, 'aarch64', 'architecture from .kyinfo when uname is missing');
  t.equal(inv.os.activation.status, 'trial', 'LICENSE TERM read despite GBK bytes after it');
});

t.test('capturedAt: any parseable date is accepted, junk is refused in words', async (t) => {
  const b = bundle('linux');
  t.equal(interpretEvidence({ ...b, manifest: { ...b.manifest, capturedAt: '2025-03-18 10:00:00Z' } }).collectedAt, '2025-03-18T10:00:00.000Z');
  t.throws(() => interpretEvidence({ ...b, manifest: { ...b.manifest, capturedAt: 'yesterday' } }), /capturedAt "yesterday" is not a date-time/);
});

t.test('duplicate software keys are reported once', async (t) => {
  const reg = (v: string) =>
    `Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\dup]\r\n"DisplayName"="Dup ${v}"\r\n`;
  const inv = interpretEvidence(bundle('windows', { registry: [reg('a'), reg('b')] }));
  t.equal(inv.software.length, 1);
  t.equal(inv.software[0]?.name, 'Dup b', 'the later export wins, as importing them in order would');
});

t.test('interpretation is deterministic: the same bundle gives the same inventory hash', async (t) => {
  const dir = join(here, '../../fixtures/evidence/win10-pro-kmspico-loopback-kms-office2019');
  t.equal(inventoryHash(interpretEvidence(loadBundle(dir))), inventoryHash(interpretEvidence(loadBundle(dir))));
});

t.test('interpretation is pure: its sources use no file system, process, network or clock', async (t) => {
  const root = join(here, '../../../agent/src/interpret');
  const sources: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.ts')) sources.push(p);
    }
  };
  walk(root);
  for (const file of sources) {
    const text = readFileSync(file, 'utf8');
    t.notMatch(text, /from ['"](node:)?(fs|child_process|net|http|https|os|dns)['"]/, `${file.slice(root.length)} imports no I/O module`);
    t.notMatch(text, /\bprocess\.|Date\.now\(|new Date\(\)/, `${file.slice(root.length)} reads no process state or clock`);
  }
});
