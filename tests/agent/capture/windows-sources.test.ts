import t from 'tap';
import { expandWindowsPath, windowsFoldersFromEnv } from '../../../agent/src/capture/windows-folders.ts';
import { ACTIVATOR_PATH_TEMPLATES, EXPORTED_KEYS, OSPP_SCRIPT_TEMPLATES } from '../../../agent/src/capture/windows-sources.ts';
import { ACTIVATOR_PATHS } from '../../../agent/src/interpret/windows/activators.ts';
import { C2R_CONFIGURATION, HKLM_UNINSTALL, HKLM_WOW64_UNINSTALL, SPP, TASK_TREE } from '../../../agent/src/interpret/windows/paths.ts';

/** The environment of a service on a default 64-bit Windows 10 install. */
const SYSTEM_ENV = {
  SystemDrive: 'C:',
  SystemRoot: 'C:\\Windows',
  windir: 'C:\\Windows',
  ProgramFiles: 'C:\\Program Files',
  'ProgramFiles(x86)': 'C:\\Program Files (x86)',
  ProgramW6432: 'C:\\Program Files',
  ProgramData: 'C:\\ProgramData',
};

t.test('every activator path the interpreter looks for is checked on a default install', async (t) => {
  const folders = windowsFoldersFromEnv(SYSTEM_ENV);
  const checked = ACTIVATOR_PATH_TEMPLATES.map((p) => expandWindowsPath(p, folders)?.toLowerCase());
  for (const p of ACTIVATOR_PATHS) t.ok(checked.includes(p.path.toLowerCase()), p.path);
});

t.test('every registry key the interpreter reads is exported', async (t) => {
  const exported = EXPORTED_KEYS.map((k) => k.toLowerCase());
  for (const key of [HKLM_UNINSTALL, HKLM_WOW64_UNINSTALL, C2R_CONFIGURATION, SPP, TASK_TREE]) t.ok(exported.includes(key.toLowerCase()), key);
});

t.test('folders follow the machine: Windows on D:, and a 32-bit process on 64-bit Windows', async (t) => {
  const d = windowsFoldersFromEnv({ SystemRoot: 'D:\\WINDOWS', ProgramFiles: 'D:\\Program Files', ProgramData: 'D:\\ProgramData' });
  t.equal(expandWindowsPath('%SystemRoot%\\SECOH-QAD.exe', d), 'D:\\WINDOWS\\SECOH-QAD.exe');
  t.equal(expandWindowsPath('%ProgramFiles(x86)%\\KMSpico', d), undefined, '32-bit Windows has no Program Files (x86)');
  const wow = windowsFoldersFromEnv({ ...SYSTEM_ENV, ProgramFiles: 'C:\\Program Files (x86)', PROCESSOR_ARCHITEW6432: 'AMD64' });
  t.equal(wow.programFiles, 'C:\\Program Files', 'the native Program Files, not the redirected one');
  t.equal(wow.wow64, true);
  t.equal(windowsFoldersFromEnv({}).systemRoot, 'C:\\Windows', 'defaults when the environment is empty');
});

t.test("Office's licence script is looked for in Office 2010 to 2016+ folders of both architectures", async (t) => {
  const folders = windowsFoldersFromEnv(SYSTEM_ENV);
  const paths = OSPP_SCRIPT_TEMPLATES.map((p) => expandWindowsPath(p, folders));
  t.ok(paths.includes('C:\\Program Files\\Microsoft Office\\Office16\\OSPP.VBS'));
  t.ok(paths.includes('C:\\Program Files (x86)\\Microsoft Office\\Office14\\OSPP.VBS'));
});
