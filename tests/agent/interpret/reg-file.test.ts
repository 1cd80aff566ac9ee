import t from 'tap';
import { parseRegFile } from '../../../agent/src/interpret/windows/reg-file.ts';
import { RegistryView } from '../../../agent/src/interpret/windows/registry.ts';
import { decodeText } from '../../../agent/src/interpret/text.ts';

const EXPORT = [
  '\uFEFFWindows Registry Editor Version 5.00',
  '',
  '; exported by reg.exe',
  '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{90140000-0011-0000-0000-0000000FF1CE}]',
  '"DisplayName"="Microsoft Office Professional Plus 2010"',
  '"InstallLocation"="C:\\\\Program Files\\\\Microsoft Office\\\\"',
  '"Comments"="He said \\"hi\\""',
  '"SystemComponent"=dword:00000001',
  '"UninstallString"=hex(2):25,00,53,00,79,00,73,00,74,00,65,00,6d,00,52,00,6f,00,\\',
  '  6f,00,74,00,25,00,5c,00,61,00,2e,00,65,00,78,00,65,00,00,00',
  '"Langs"=hex(7):65,00,6e,00,2d,00,75,00,73,00,00,00,7a,00,68,00,2d,00,63,00,6e,\\',
  '  00,00,00,00,00',
  '"InstallTime"=hex(b):00,80,3e,d5,de,b1,9d,01',
  '"Blob"=hex:01,02,ff',
  '@="default text"',
  '"Gone"="x"',
  '"Gone"=-',
  '"Multi line"="first',
  'second"',
  '',
  '[HKEY_USERS\\S-1-5-21-1-2-3-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Kingsoft Office]',
  '"DisplayName"="WPS Office (11.1.0.8612)"',
  '',
  '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Old]',
  '"A"="1"',
  '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Old\\Child]',
  '"B"="2"',
  '[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Old]',
  '',
].join('\r\n');

t.test('a reg export is read value by value with every data type', async (t) => {
  const reg = new RegistryView([EXPORT]);
  const key = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{90140000-0011-0000-0000-0000000FF1CE}';
  t.equal(reg.string(key, 'DisplayName'), 'Microsoft Office Professional Plus 2010');
  t.equal(reg.string(key, 'installlocation'), 'C:\\Program Files\\Microsoft Office\\', 'escaped backslashes, case-insensitive names');
  t.equal(reg.string(key, 'Comments'), 'He said "hi"', 'escaped quotes');
  t.equal(reg.number(key, 'SystemComponent'), 1);
  t.same(reg.value(key, 'UninstallString'), { type: 'expand_sz', data: '%SystemRoot%\\a.exe' }, 'hex(2) across a continuation line');
  t.same(reg.value(key, 'Langs'), { type: 'multi_sz', data: ['en-us', 'zh-cn'] });
  t.equal(reg.value(key, 'InstallTime')?.type, 'qword');
  t.same(reg.value(key, 'Blob'), { type: 'binary', data: new Uint8Array([1, 2, 255]), rawType: 3 });
  t.equal(reg.string(key, ''), 'default text', '@ is the default value');
  t.equal(reg.value(key, 'Gone'), undefined, '"name"=- deletes a value');
  t.equal(reg.string(key, 'Multi line'), 'first\nsecond', 'a string with a raw line break');
  t.same(reg.subkeys('HKEY_USERS\\S-1-5-21-1-2-3-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall'), ['Kingsoft Office']);
  t.notOk(reg.hasKey('HKLM\\SOFTWARE\\Old'), '[-KEY] deletes the key');
  t.notOk(reg.hasKey('HKLM\\SOFTWARE\\Old\\Child'), '[-KEY] deletes its subkeys');
});

t.test('later files override earlier ones in the merged view', async (t) => {
  const a = 'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n"V"="old"\r\n"W"="kept"\r\n';
  const b = 'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\software\\x]\r\n"v"="new"\r\n';
  const reg = new RegistryView([a, b]);
  t.equal(reg.string('HKLM\\SOFTWARE\\X', 'V'), 'new');
  t.equal(reg.string('HKLM\\SOFTWARE\\X', 'W'), 'kept');
});

t.test('UTF-16LE files with a BOM decode to the same text', async (t) => {
  const bytes = new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(EXPORT.replace(/^\uFEFF/, ''), 'utf16le')]));
  const ops = parseRegFile(decodeText(bytes));
  t.equal(ops.length, 5);
  t.same(ops.at(-1), { op: 'delete-key', path: 'HKLM\\SOFTWARE\\Old' });
});

t.test('a damaged line is skipped, the rest of the file is kept', async (t) => {
  const text = 'REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Y]\r\n"Bad"=dword:zz\r\ngarbage\r\n"Good"="yes"\r\n';
  const reg = new RegistryView([text]);
  t.equal(reg.value('HKLM\\SOFTWARE\\Y', 'Bad'), undefined);
  t.equal(reg.string('HKLM\\SOFTWARE\\Y', 'Good'), 'yes');
});
