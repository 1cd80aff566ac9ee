import t from 'tap';
import { decodeConsoleOutput } from '../../../agent/src/capture/windows-command.ts';
import {
  formatRegFile,
  parseLoadedUserHives,
  parseRegQuery,
  regQueryKeyToRegFile,
  removeRegValues,
} from '../../../agent/src/capture/windows-reg-text.ts';
import { SECRET_VALUE_NAMES } from '../../../agent/src/capture/windows-sources.ts';
import { RegistryView } from '../../../agent/src/interpret/windows/registry.ts';

const CV = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion';

/** `reg query "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion"` on Windows 11 23H2 (shortened). */
const CURRENT_VERSION_QUERY = [
  '',
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion',
  '    SystemRoot    REG_SZ    C:\\WINDOWS',
  '    BaseBuildRevisionNumber    REG_DWORD    0x1',
  '    BuildBranch    REG_SZ    ni_release',
  '    BuildLab    REG_SZ    22621.ni_release.220506-1250',
  '    BuildLabEx    REG_SZ    22621.1.amd64fre.ni_release.220506-1250',
  '    CompositionEditionID    REG_SZ    Enterprise',
  '    CurrentBuild    REG_SZ    22631',
  '    CurrentBuildNumber    REG_SZ    22631',
  '    CurrentMajorVersionNumber    REG_DWORD    0xa',
  '    CurrentMinorVersionNumber    REG_DWORD    0x0',
  '    CurrentType    REG_SZ    Multiprocessor Free',
  '    CurrentVersion    REG_SZ    6.3',
  '    DisplayVersion    REG_SZ    23H2',
  '    EditionID    REG_SZ    Professional',
  '    InstallationType    REG_SZ    Client',
  '    InstallDate    REG_DWORD    0x65a1b2c3',
  '    InstallTime    REG_QWORD    0x1da4a1b2c3d4e5f',
  '    ProductName    REG_SZ    Windows 10 Pro',
  '    RegisteredOrganization    REG_SZ    ',
  '    RegisteredOwner    REG_SZ    张三',
  '    UBR    REG_DWORD    0xcb1',
  '    PathName    REG_EXPAND_SZ    %SystemRoot%',
  '    LicenseLangs    REG_MULTI_SZ    zh-CN\\0en-US',
  '    DigitalProductId    REG_BINARY    A40000000300000030303333302D38303030302D30303030302D4141343332000000',
  '    DigitalProductId4    REG_BINARY    F804000004000000',
  '',
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Accessibility',
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Fonts',
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Image File Execution Options',
  '',
].join('\r\n');

t.test('CurrentVersion is captured as its own values only, with every type the interpreter reads', async (t) => {
  const text = regQueryKeyToRegFile(CURRENT_VERSION_QUERY, SECRET_VALUE_NAMES);
  t.ok(text, 'a .reg file is written');
  const reg = new RegistryView([text!]);
  t.equal(reg.string(CV, 'EditionID'), 'Professional');
  t.equal(reg.string(CV, 'CurrentBuild'), '22631');
  t.equal(reg.string(CV, 'DisplayVersion'), '23H2');
  t.equal(reg.number(CV, 'UBR'), 0xcb1, 'UBR is a DWORD');
  t.equal(reg.number(CV, 'CurrentMajorVersionNumber'), 10);
  t.equal(reg.string(CV, 'RegisteredOrganization'), '', 'an empty string value stays empty');
  t.equal(reg.string(CV, 'RegisteredOwner'), '张三', 'Chinese text survives');
  t.equal(reg.string(CV, 'PathName'), '%SystemRoot%', 'REG_EXPAND_SZ is kept unexpanded');
  t.equal(reg.string(CV, 'LicenseLangs'), 'zh-CN,en-US', 'REG_MULTI_SZ items are kept apart');
  t.equal(reg.value(CV, 'InstallTime')?.type, 'qword');
  t.same(reg.subkeys(CV), [], 'the huge subtree (Fonts, IFEO, ...) is not included');
});

t.test('values that hold a full product key never reach the bundle', async (t) => {
  const text = regQueryKeyToRegFile(CURRENT_VERSION_QUERY, SECRET_VALUE_NAMES)!;
  t.notMatch(text, /DigitalProductId/i);
  const spp = [
    '\uFEFFWindows Registry Editor Version 5.00',
    '',
    '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\SoftwareProtectionPlatform]',
    '"BackupProductKeyDefault"="VK7JG-NPHTM-C97JM-9MPGT-3V66T"',
    '"KeyManagementServiceName"="kms.03k.org"',
    '"ServiceSessionId"=hex:0a,0b,0c,0d,0e,0f,10,11,12,13,14,15,16,17,18,19,1a,1b,1c,1d,1e,1f,20,21,\\',
    '  22,23',
    '"DigitalProductId"=hex:a4,00,00,00,03,00,00,00,30,30,33,33,30,2d,38,30,30,30,30,2d,\\',
    '  30,30,30,30,30,2d,41,41,34,33,32,00,00,00',
    '"InactivityShutdownDelay"=dword:0000012c',
    '"Path"="C:\\\\Windows\\\\"',
    '',
  ].join('\r\n');
  const cleaned = removeRegValues(spp, SECRET_VALUE_NAMES);
  t.notMatch(cleaned, /VK7JG|BackupProductKeyDefault|DigitalProductId|2d,41,41/);
  const reg = new RegistryView([cleaned]);
  const key = `${CV}\\SoftwareProtectionPlatform`;
  t.equal(reg.string(key, 'KeyManagementServiceName'), 'kms.03k.org', 'the KMS host stays: it is evidence');
  t.equal(reg.number(key, 'InactivityShutdownDelay'), 300, 'the value after a removed multi-line one is intact');
  t.equal(reg.string(key, 'Path'), 'C:\\Windows\\', 'a string ending in a backslash is not taken for a continuation');
  t.equal((reg.value(key, 'ServiceSessionId')?.data as Uint8Array).length, 26);
});

t.test('the loaded user hives come from "reg query HKU", without the _Classes hives and the .DEFAULT alias', async (t) => {
  const output = [
    '',
    'HKEY_USERS\\.DEFAULT',
    'HKEY_USERS\\S-1-5-19',
    'HKEY_USERS\\S-1-5-20',
    'HKEY_USERS\\S-1-5-21-3623811015-3361044348-30300820-1001',
    'HKEY_USERS\\S-1-5-21-3623811015-3361044348-30300820-1001_Classes',
    'HKEY_USERS\\S-1-5-18',
    '',
  ].join('\r\n');
  t.same(parseLoadedUserHives(output), ['S-1-5-19', 'S-1-5-20', 'S-1-5-21-3623811015-3361044348-30300820-1001', 'S-1-5-18']);
  t.same(parseLoadedUserHives(''), [], 'no output, no hives');
});

t.test('a single value read with "reg query /v" becomes a .reg file the interpreter reads', async (t) => {
  const output = ['', 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography', '    MachineGuid    REG_SZ    1f6c2a1e-8f3b-4c9a-9d57-3a1e5b7c9d20', '', ''].join('\r\n');
  const reg = new RegistryView([formatRegFile(parseRegQuery(output))]);
  t.equal(reg.string('HKLM\\SOFTWARE\\Microsoft\\Cryptography', 'MachineGuid'), '1f6c2a1e-8f3b-4c9a-9d57-3a1e5b7c9d20');
});

t.test('the default value is recognised whatever language reg.exe prints it in', async (t) => {
  for (const label of ['(Default)', '(默认)', '(預設)']) {
    const keys = parseRegQuery(`\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\X\r\n    ${label}    REG_SZ    v\r\n`);
    t.equal(keys[0]?.values[0]?.name, '', label);
  }
});

t.test('console output is decoded from UTF-16LE, UTF-8 and GBK', async (t) => {
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Caption=Windows\r\n', 'utf16le')]);
  t.equal(decodeConsoleOutput(utf16), 'Caption=Windows\r\n', 'wmic writes UTF-16LE with a BOM');
  t.equal(decodeConsoleOutput(Buffer.from('Caption=Windows', 'utf16le')), 'Caption=Windows', 'and sometimes without one');
  t.equal(decodeConsoleOutput(Buffer.from('中文 ok', 'utf8')), '中文 ok');
  // "张三" in GBK, as reg.exe prints it on Chinese Windows.
  const gbk = Buffer.from([0x20, 0xd5, 0xc5, 0xc8, 0xfd]);
  t.equal(decodeConsoleOutput(gbk), ' 张三');
});
