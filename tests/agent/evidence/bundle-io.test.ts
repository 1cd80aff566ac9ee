import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import {
  EVIDENCE_FORMAT,
  type EvidenceBundle,
  bundleSha256,
  encodeEvidenceBundle,
  readEvidenceBundle,
  writeEvidenceBundle,
} from '../../../agent/src/evidence/index.ts';

async function tempDir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zhengban-bundle-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const REG_TEXT = [
  'Windows Registry Editor Version 5.00',
  '',
  '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Kingsoft Office]',
  '"DisplayName"="WPS Office (11.1.0.8612)"',
  '"Publisher"="Zhuhai Kingsoft Office Software Co.,Ltd"',
  '"Comments"="金山办公 专业版"',
  '',
].join('\r\n');

function windowsBundle(): EvidenceBundle {
  return {
    manifest: { format: EVIDENCE_FORMAT, platform: 'windows', capturedAt: '2026-11-28T10:00:00.000Z', hostname: 'PC-财务-01', agentVersion: '0.1.0' },
    files: new Map([
      ['C/Program Files/KMSpico/KMSELDI.exe', new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0xff])],
      ['C/Windows/System32/drivers/etc/hosts', new TextEncoder().encode('127.0.0.1 localhost\r\n')],
    ]),
    registry: [REG_TEXT],
    wmi: new Map<string, unknown>([
      ['Win32_OperatingSystem', { Caption: 'Microsoft Windows 11 专业版', BuildNumber: '22631' }],
      ['SoftwareLicensingProduct', [{ Name: 'Windows(R), Professional edition', LicenseStatus: 1, PartialProductKey: '3V66T' }]],
    ]),
    commands: new Map([['ospp-dstatus', '---Processing--------------------------\r\nLICENSE STATUS:  ---LICENSED---\r\n']]),
  };
}

t.test('a bundle written as a directory and as a .tar.gz reads back the same and has the same SHA-256', async (t) => {
  const dir = await tempDir(t);
  const bundle = windowsBundle();
  await writeEvidenceBundle(bundle, join(dir, 'as-dir'));
  await writeEvidenceBundle(bundle, join(dir, 'as-file.tar.gz'));

  const fromDir = await readEvidenceBundle(join(dir, 'as-dir'));
  const fromTar = await readEvidenceBundle(join(dir, 'as-file.tar.gz'));
  for (const [label, read] of [['directory', fromDir], ['tar.gz', fromTar]] as const) {
    t.same(read.manifest, bundle.manifest, `${label}: manifest`);
    t.same([...read.files.keys()].sort(), [...bundle.files.keys()].sort(), `${label}: file paths (Windows drive letter first)`);
    t.same(read.files.get('C/Program Files/KMSpico/KMSELDI.exe'), bundle.files.get('C/Program Files/KMSpico/KMSELDI.exe'), `${label}: bytes verbatim`);
    t.same(read.registry, [REG_TEXT], `${label}: registry text, Chinese intact`);
    t.same(read.wmi.get('SoftwareLicensingProduct'), bundle.wmi.get('SoftwareLicensingProduct'), `${label}: wmi`);
    t.equal(read.commands.get('ospp-dstatus'), bundle.commands.get('ospp-dstatus'), `${label}: command output`);
  }
  const hashes = [await bundleSha256(join(dir, 'as-dir')), await bundleSha256(join(dir, 'as-file.tar.gz')), await bundleSha256(encodeEvidenceBundle(bundle))];
  t.match(hashes[0], /^[0-9a-f]{64}$/);
  t.equal(new Set(hashes).size, 1, 'directory, tar.gz and in-memory bundle hash alike');
});

t.test('a different byte anywhere gives a different SHA-256', async (t) => {
  const bundle = windowsBundle();
  const before = await bundleSha256(encodeEvidenceBundle(bundle));
  bundle.files.set('C/Windows/System32/drivers/etc/hosts', new TextEncoder().encode('127.0.0.1 localhost\r\n0.0.0.0 kms.example\r\n'));
  t.not(await bundleSha256(encodeEvidenceBundle(bundle)), before);
});

t.test('registry exports are decoded whether reg.exe wrote UTF-16LE with a BOM or someone saved them as UTF-8', async (t) => {
  const dir = await tempDir(t);
  await mkdir(join(dir, 'registry'), { recursive: true });
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(windowsBundle().manifest));
  await writeFile(join(dir, 'registry', 'a-uninstall.reg'), Buffer.from(`\ufeff${REG_TEXT}`, 'utf16le'));
  await writeFile(join(dir, 'registry', 'b-utf8.reg'), `\ufeff${REG_TEXT.replace('WPS', 'UTF8 WPS')}`);
  await writeFile(join(dir, 'registry', 'c-plain.reg'), REG_TEXT.replace('WPS', 'Plain WPS'));
  const bundle = await readEvidenceBundle(dir);
  t.equal(bundle.registry.length, 3);
  t.equal(bundle.registry[0], REG_TEXT, 'UTF-16LE: text exact, BOM gone');
  t.match(bundle.registry[1], /^Windows Registry Editor Version 5\.00\r\n/, 'UTF-8 with BOM: BOM gone');
  t.match(bundle.registry[1], /UTF8 WPS Office/);
  t.match(bundle.registry[2], /Plain WPS Office.*\r\n"Comments"="金山办公 专业版"/s, 'UTF-8 without BOM');
});

t.test('WMI dumps with a UTF-8 BOM parse; a broken one is recorded as an error instead of failing the bundle', async (t) => {
  const dir = await tempDir(t);
  await mkdir(join(dir, 'wmi'), { recursive: true });
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(windowsBundle().manifest));
  await writeFile(join(dir, 'wmi', 'Win32_BIOS.json'), `\ufeff{ "SerialNumber": "5CG1234XYZ" }`);
  await writeFile(join(dir, 'wmi', 'Win32_OperatingSystem.json'), Buffer.from(`\ufeff{ "Caption": "Microsoft Windows 10 Pro" }`, 'utf16le'));
  await writeFile(join(dir, 'wmi', 'SoftwareLicensingProduct.json'), '[{ "Name": ');
  const bundle = await readEvidenceBundle(dir);
  t.same(bundle.wmi.get('Win32_BIOS'), { SerialNumber: '5CG1234XYZ' });
  t.same(bundle.wmi.get('Win32_OperatingSystem'), { Caption: 'Microsoft Windows 10 Pro' }, 'Windows PowerShell 5 Out-File (UTF-16LE) works too');
  t.notOk(bundle.wmi.has('SoftwareLicensingProduct'));
  t.match(bundle.manifest.errors, [{ source: 'wmi/SoftwareLicensingProduct.json', message: /not valid JSON/ }]);
});

t.test('a .tar.gz made by hand with tar, with the bundle inside one folder, reads like the folder', async (t) => {
  const dir = await tempDir(t);
  await writeEvidenceBundle(windowsBundle(), join(dir, 'case-0427'));
  execFileSync('tar', ['czf', join(dir, 'case-0427.tar.gz'), '-C', dir, 'case-0427']);
  const bundle = await readEvidenceBundle(join(dir, 'case-0427.tar.gz'));
  t.equal(bundle.manifest.hostname, 'PC-财务-01');
  t.equal(await bundleSha256(join(dir, 'case-0427.tar.gz')), await bundleSha256(join(dir, 'case-0427')));
});

t.test('what is not a bundle is refused with a message that says why', async (t) => {
  const dir = await tempDir(t);
  await t.rejects(readEvidenceBundle(join(dir, 'absent')), /cannot open evidence bundle .*absent: ENOENT/);
  await t.rejects(readEvidenceBundle(dir), /not an evidence bundle: manifest\.json is missing/);
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ format: 'something-else/2' }));
  await t.rejects(readEvidenceBundle(dir), /not a zhengban-evidence\/1 manifest \(format/);
  await writeFile(join(dir, 'junk.tar.gz'), 'not gzip at all');
  await t.rejects(readEvidenceBundle(join(dir, 'junk.tar.gz')), /not an evidence bundle|not a readable \.tar\.gz/);
});

t.test('writing a bundle never mixes it into an existing non-empty directory', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'notes.txt'), 'mine');
  await t.rejects(writeEvidenceBundle(windowsBundle(), dir), /already exists and is not empty/);
  t.equal(await readFile(join(dir, 'notes.txt'), 'utf8'), 'mine');
});
