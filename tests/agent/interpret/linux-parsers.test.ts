import t from 'tap';
import { parseIni, parseKeyValueFile } from '../../../agent/src/interpret/linux/key-value.ts';
import { isInstalledStatus, parseControlStanzas, publisherFromMaintainer, readDpkgSoftware } from '../../../agent/src/interpret/linux/dpkg.ts';
import { readRpmSoftware } from '../../../agent/src/interpret/linux/rpm.ts';
import { normaliseArch, parseUname } from '../../../agent/src/interpret/linux/uname.ts';
import { classifyWpsVersion } from '../../../agent/src/interpret/office/wps.ts';

t.test('os-release values are read with the shell quoting rules of os-release(5)', async (t) => {
  const os = parseKeyValueFile(
    [
      '# comment',
      'NAME="Kylin"',
      "ID='kylin'",
      'VERSION="银河麒麟桌面操作系统V10 (SP1)"',
      'PRETTY_NAME="A \\"quoted\\" \\$name with \\\\ backslash"',
      'VERSION_ID=v10',
      'ESCAPED=Kylin\\ Linux',
      'HAND_EDITED=V10 SP1',
      'TRAILING="x" # a comment',
      'not an assignment',
      'ID=kylin',
    ].join('\n'),
  );
  t.equal(os.get('NAME'), 'Kylin');
  t.equal(os.get('ID'), 'kylin', 'single quotes; the last assignment wins');
  t.equal(os.get('VERSION'), '银河麒麟桌面操作系统V10 (SP1)');
  t.equal(os.get('PRETTY_NAME'), 'A "quoted" $name with \\ backslash', 'escapes inside double quotes');
  t.equal(os.get('VERSION_ID'), 'v10');
  t.equal(os.get('ESCAPED'), 'Kylin Linux', 'backslash-escaped space outside quotes');
  t.equal(os.get('HAND_EDITED'), 'V10 SP1', 'unquoted spaces are kept (hand-edited files)');
  t.equal(os.get('TRAILING'), 'x', 'a trailing comment is dropped');
});

t.test('INI files (.kyinfo, os-version) are read by section, keys case-folded', async (t) => {
  const ini = parseIni('[dist]\nname=Kylin-Desktop\narch=arm64\n\n[OS]\nterm = 2025-06-30\n; comment\n[Version]\nSystemName[zh_CN]=统信桌面操作系统\n');
  t.equal(ini.get('dist')?.get('arch'), 'arm64');
  t.equal(ini.get('os')?.get('term'), '2025-06-30');
  t.equal(ini.get('version')?.get('systemname[zh_cn]'), '统信桌面操作系统');
});

t.test('dpkg status: only installed stanzas count, continuation lines stay in their field', async (t) => {
  const status = [
    'Package: bash',
    'Status: install ok installed',
    'Architecture: amd64',
    'Version: 5.2.15-2+b2',
    'Maintainer: Matthias Klose <doko@debian.org>',
    'Description: GNU Bourne Again SHell',
    ' Status: install ok installed',
    ' .',
    '',
    'Package: old-conf',
    'Status: deinstall ok config-files',
    'Architecture: amd64',
    'Version: 1.0',
    '',
    'Package: held',
    'Status: hold ok installed',
    'Architecture: all',
    'Version: 2.0',
    'Maintainer: <someone@example.org>',
    '',
    'Package: broken',
    'Status: install reinstreq half-installed',
    'Version: 0.1',
    '',
  ].join('\n');
  t.equal(parseControlStanzas(status).length, 4, 'blank lines separate stanzas; the indented Status line belongs to Description');
  const software = readDpkgSoftware(status);
  t.same(
    software.map((s) => s.id),
    ['bash:amd64', 'held:all'],
  );
  t.equal(software[0]?.publisher, 'Matthias Klose');
  t.equal(software[1]?.publisher, 'someone@example.org', 'an address-only maintainer is kept as the address');
  t.ok(isInstalledStatus('install ok installed'));
  t.notOk(isInstalledStatus('install ok unpacked'));
  t.equal(publisherFromMaintainer(undefined), undefined);
});

t.test('rpm -qa: epochs, (none), gpg-pubkey and install dates in the capture time zone', async (t) => {
  const text = [
    'openssl\t1:1.1.1f-15.ky10\tx86_64\tKylin Linux\t1686533400',
    'tzdata\t(none):2020a-8.ky10\tnoarch\tKylin Linux\t1686499200',
    'gpg-pubkey\t(none):8483c65d-5ccc5b19\t(none)\t(none)\t1686533400',
    'odd\t(none):1-1\t(none)\t(none)\t(none)',
    '',
  ].join('\n');
  const beijing = readRpmSoftware(text, '2025-03-18T10:00:00+08:00');
  t.same(beijing.map((s) => [s.id, s.version, s.publisher, s.installDate]), [
    ['openssl.x86_64', '1:1.1.1f-15.ky10', 'Kylin Linux', '2023-06-12'],
    ['tzdata.noarch', '2020a-8.ky10', 'Kylin Linux', '2023-06-12'],
    ['odd', '1-1', undefined, undefined],
  ]);
  const utc = readRpmSoftware(text, '2025-03-18T02:00:00Z');
  t.equal(utc[1]?.installDate, '2023-06-11', '16:00 UTC on the 11th is already the 12th in Beijing');
});

t.test('architectures use uname names whatever the source spelled', async (t) => {
  t.same(['amd64', 'arm64', 'loongarch64', 'loong64', 'mips64el', 'i386', 'x86_64'].map(normaliseArch), ['x86_64', 'aarch64', 'loongarch64', 'loongarch64', 'mips64', 'i686', 'x86_64']);
  t.same(parseUname('Linux 5.4.18-110-generic x86_64\n'), { kernel: '5.4.18-110-generic', arch: 'x86_64' });
  t.same(parseUname(''), {});
});

t.test('the WPS edition follows the version family', async (t) => {
  const cases: Array<[string, boolean, string, string]> = [
    ['11.1.0.11720', false, 'WPS Office 2019 个人版', 'personal'],
    ['11.8.2.1132.AK.preload.sw.withsn', true, 'WPS Office 2019 专业版', 'professional'],
    ['12.1.0.16388', false, 'WPS Office 2023 个人版', 'personal'],
    ['12.1.0.16388', true, 'WPS 365', 'subscription'],
    ['12.8.2.15283', true, 'WPS Office 2023 专业版', 'professional'],
  ];
  for (const [version, licensed, product, edition] of cases) {
    const got = classifyWpsVersion(version, 'wps-office', licensed);
    t.same([got.product, got.edition], [product, edition], `${version}${licensed ? ' with a licence' : ''}`);
  }
});
