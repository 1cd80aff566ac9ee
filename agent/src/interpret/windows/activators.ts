import type { Finding } from '@zhengban/protocol';
import { type BundleFiles, nonEmpty, splitLines } from '../text.ts';
import { IFEO, SERVICES, TASK_TASKS, TASK_TREE } from './paths.ts';
import type { RegistryView } from './registry.ts';
import type { UninstallEntry } from './software.ts';

/**
 * Activator file traces (FIELD-FACTS), as Windows paths. Capture reports a file's existence
 * either by copying it under `files/<drive>/...` or by listing its path in
 * `commands/file-exists.txt`; both count. A directory counts when any file under it is present.
 */
export const ACTIVATOR_PATHS: Array<{ code: string; path: string; directory?: boolean }> = [
  { code: 'activator.kmspico', path: 'C:\\Program Files\\KMSpico', directory: true },
  { code: 'activator.kmspico', path: 'C:\\Program Files (x86)\\KMSpico', directory: true },
  { code: 'activator.kmspico', path: 'C:\\Windows\\SECOH-QAD.exe' },
  { code: 'activator.kmspico', path: 'C:\\Windows\\SECOH-QAD.dll' },
  { code: 'activator.kmsauto', path: 'C:\\ProgramData\\KMSAutoS', directory: true },
  { code: 'activator.kmsauto', path: 'C:\\Program Files\\KMSAuto Net', directory: true },
  { code: 'activator.kmsauto', path: 'C:\\Windows\\KMSAutoS', directory: true },
  { code: 'activator.toolkit', path: 'C:\\Program Files\\Microsoft Toolkit', directory: true },
  { code: 'activator.toolkit', path: 'C:\\Windows\\AutoKMS', directory: true },
  { code: 'activator.toolkit', path: 'C:\\Windows\\AutoKMS\\AutoKMS.exe' },
  { code: 'activator.r1n', path: 'C:\\Windows\\Tasks\\R@1n-KMS', directory: true },
  { code: 'activator.spp-hook', path: 'C:\\Windows\\System32\\SppExtComObjHook.dll' },
  { code: 'activator.spp-hook', path: 'C:\\Windows\\System32\\SppExtComObjPatcher.exe' },
];

/** Scheduled task paths (from the TaskCache) that activators create. */
const ACTIVATOR_TASKS: Array<{ code: string; pattern: RegExp }> = [
  { code: 'activator.kmspico', pattern: /autopico/i },
  { code: 'activator.kmsauto', pattern: /kmsauto/i },
  { code: 'activator.toolkit', pattern: /(^|\\)autokms/i },
  { code: 'activator.r1n', pattern: /r@1n/i },
  { code: 'activator.kms-renewal-task', pattern: /(^|\\)(activation-renewal|activation-run_once|kms_vl_all|kms-vl-all|kmsvlall)/i },
];

/** Windows path -> bundle `files/` path: `C:\Windows\x` -> `C/Windows/x`. */
export function bundlePathOf(windowsPath: string): string {
  return windowsPath.replace(/^([A-Za-z]):\\?/, '$1/').replace(/\\/g, '/');
}

/** Paths listed in commands/file-exists.txt, lower-cased, without trailing separators. */
function listedPaths(fileExists: string | undefined): string[] {
  return splitLines(fileExists ?? '')
    .map((l) => l.trim().replace(/\//g, '\\').replace(/\\+$/, '').toLowerCase())
    .filter((l) => l !== '');
}

function pathPresent(files: BundleFiles, listed: string[], p: { path: string; directory?: boolean }): boolean {
  const lower = p.path.toLowerCase();
  if (listed.some((l) => l === lower || (p.directory && l.startsWith(`${lower}\\`)))) return true;
  const bp = bundlePathOf(p.path);
  return p.directory ? files.list(`${bp}/`).length > 0 : files.has(bp);
}

/** Every scheduled task path known to the TaskCache: Tree subkeys and Tasks\{GUID} Path values. */
function scheduledTasks(reg: RegistryView): string[] {
  const prefix = `${TASK_TREE}\\`.toLowerCase();
  const tasks = new Set<string>();
  for (const key of reg.keysUnder(TASK_TREE)) tasks.add(`\\${key.slice(prefix.length)}`);
  for (const id of reg.subkeys(TASK_TASKS)) {
    const path = nonEmpty(reg.string(`${TASK_TASKS}\\${id}`, 'Path'));
    if (path) tasks.add(path);
  }
  return [...tasks].sort();
}

const SEVERITY = 'critical' as const;

/**
 * Pirate activator traces: files (KMSpico, KMSAuto, Microsoft Toolkit, KMS_VL_ALL hooks),
 * scheduled tasks (AutoPico, AutoKMS, R@1n-KMS, activation renewal), the AutoKMS service, Image
 * File Execution Options hooks on SppExtComObj.exe / sppsvc.exe (a Debugger or VerifierDlls
 * value redirects the licensing service to a fake KMS), and activators' own Uninstall entries.
 * Each finding names what an inspector can look at.
 */
export function detectActivators(reg: RegistryView, files: BundleFiles, fileExists: string | undefined, entries: UninstallEntry[]): Finding[] {
  const findings: Finding[] = [];
  const listed = listedPaths(fileExists);
  for (const p of ACTIVATOR_PATHS) {
    if (pathPresent(files, listed, p)) findings.push({ code: p.code, severity: SEVERITY, evidence: `${p.directory ? 'folder' : 'file'} ${p.path} exists` });
  }
  const matchedTasks: string[] = [];
  for (const task of scheduledTasks(reg)) {
    const hit = ACTIVATOR_TASKS.find((a) => a.pattern.test(task));
    // A task folder and the tasks inside it are one trace.
    if (!hit || matchedTasks.some((m) => task.toLowerCase().startsWith(`${m.toLowerCase()}\\`))) continue;
    matchedTasks.push(task);
    findings.push({ code: hit.code, severity: hit.code === 'activator.kms-renewal-task' ? 'high' : SEVERITY, evidence: `scheduled task ${task} (registry ${TASK_TREE})` });
  }
  for (const service of reg.subkeys(SERVICES)) {
    if (/^autokms$/i.test(service)) {
      const image = reg.string(`${SERVICES}\\${service}`, 'ImagePath');
      findings.push({ code: 'activator.toolkit', severity: SEVERITY, evidence: `service ${SERVICES}\\${service}${image ? ` ImagePath=${image}` : ''}` });
    }
    if (/^(kmseldi|kmsauto|service_kms)$/i.test(service)) {
      findings.push({ code: /kmseldi/i.test(service) ? 'activator.kmspico' : 'activator.kmsauto', severity: SEVERITY, evidence: `service ${SERVICES}\\${service}` });
    }
  }
  for (const exe of reg.subkeys(IFEO)) {
    if (!/^(sppextcomobj|sppsvc|osppsvc)\.exe$/i.test(exe)) continue;
    const key = `${IFEO}\\${exe}`;
    for (const name of ['Debugger', 'VerifierDlls']) {
      const value = nonEmpty(reg.string(key, name));
      if (value) findings.push({ code: 'activator.spp-hook', severity: SEVERITY, evidence: `registry ${key} ${name}=${value}` });
    }
  }
  for (const e of entries) {
    const name = e.displayName ?? e.id;
    if (/kmspico/i.test(name)) findings.push({ code: 'activator.kmspico', severity: SEVERITY, evidence: `installed program "${name}" (${e.keyPath})` });
    else if (/kmsauto/i.test(name)) findings.push({ code: 'activator.kmsauto', severity: SEVERITY, evidence: `installed program "${name}" (${e.keyPath})` });
    else if (/microsoft toolkit/i.test(name)) findings.push({ code: 'activator.toolkit', severity: SEVERITY, evidence: `installed program "${name}" (${e.keyPath})` });
  }
  return mergeByCode(findings);
}

/** One finding per activator, its traces joined: the dashboard shows one line per tool found. */
function mergeByCode(findings: Finding[]): Finding[] {
  const byCode = new Map<string, Finding>();
  for (const f of findings) {
    const seen = byCode.get(f.code);
    if (!seen) byCode.set(f.code, { ...f });
    else if (!seen.evidence.split('; ').includes(f.evidence)) seen.evidence = `${seen.evidence}; ${f.evidence}`;
  }
  return [...byCode.values()];
}
