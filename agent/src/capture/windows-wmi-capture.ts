import type { EvidenceBundle } from '../evidence/bundle.ts';
import type { WindowsCommandRunner } from './windows-command.ts';
import type { WindowsFolders } from './windows-folders.ts';
import { POWERSHELL_TIMEOUT_MS, WMIC_TIMEOUT_MS } from './windows-sources.ts';
import { WMI_QUERIES, type WmiQuery, buildWmiPowerShellCommand, buildWmicAttempts, isWmicNoInstances, parseWmiPowerShellOutput, parseWmicOutput } from './windows-wmi.ts';

type ErrorList = NonNullable<EvidenceBundle['manifest']['errors']>;

/**
 * CIM/WMI classes for `wmi/<Class>.json`: PowerShell first (one process for all classes), then
 * wmic for whatever PowerShell could not give (blocked by policy, PowerShell 2 on Windows 7
 * without WMF 3, a class that failed). What neither could read is named in manifest.errors.
 */
export async function captureWmi(run: WindowsCommandRunner, folders: WindowsFolders, errors: ErrorList, queries: readonly WmiQuery[] = WMI_QUERIES): Promise<Map<string, unknown>> {
  const wmi = new Map<string, unknown>();
  const reasons = new Map<string, string>();

  const powershell = `${folders.systemRoot}\\${folders.wow64 ? 'Sysnative' : 'System32'}\\WindowsPowerShell\\v1.0\\powershell.exe`;
  const ps = await run(powershell, ['-NoProfile', '-NonInteractive', '-Command', buildWmiPowerShellCommand(queries)], POWERSHELL_TIMEOUT_MS);
  let psReason: string | undefined;
  if (ps.ok) {
    try {
      const parsed = parseWmiPowerShellOutput(ps.stdout, queries);
      for (const [cls, rows] of parsed.classes) wmi.set(cls, rows);
      for (const [cls, why] of parsed.failed) reasons.set(cls, `PowerShell: ${why}`);
    } catch (err) {
      psReason = `PowerShell: ${(err as Error).message}`;
    }
  } else {
    psReason = ps.missing ? 'PowerShell is not installed' : `PowerShell: ${ps.message}`;
  }

  const wmic = `${folders.systemRoot}\\${folders.wow64 ? 'Sysnative' : 'System32'}\\wbem\\WMIC.exe`;
  for (const query of queries) {
    if (wmi.has(query.className)) continue;
    // PowerShell ran and says this optional class does not exist (no Office 2010): wmic would agree.
    if (query.optional && psReason === undefined) continue;
    const before = psReason ?? reasons.get(query.className) ?? 'PowerShell gave nothing';
    let why = 'wmic gave nothing';
    let done = false;
    for (const args of buildWmicAttempts(query)) {
      const result = await run(wmic, args, WMIC_TIMEOUT_MS);
      if (result.ok || isWmicNoInstances(result.stdout) || (!result.ok && isWmicNoInstances(result.message))) {
        wmi.set(query.className, result.ok ? parseWmicOutput(result.stdout, query) : []);
        done = true;
        break;
      }
      why = result.missing ? 'wmic is not installed' : `wmic: ${result.message}`;
      // No such program, or no such class here: the other forms of the command would fail the same way.
      if (result.missing || /invalid class|无效类|無效類別/i.test(result.message)) break;
    }
    if (done || query.optional) continue;
    errors.push({ source: `wmi/${query.className}`, message: `${before}; ${why}` });
  }
  return wmi;
}
