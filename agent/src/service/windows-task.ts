import type { AgentLaunch } from './launch.ts';
import type { ServicePlan } from './plan.ts';

export const WINDOWS_TASK_NAME = 'zhengban-agent';

/** Quotes one argument so that CommandLineToArgvW (what node.exe uses) gives it back unchanged. */
export function quoteWindowsArg(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  let out = '"';
  let backslashes = 0;
  for (const c of arg) {
    if (c === '\\') {
      backslashes++;
      continue;
    }
    // Backslashes are literal unless they precede a quote: then each is doubled and the quote escaped.
    out += c === '"' ? `${'\\'.repeat(backslashes * 2 + 1)}"` : `${'\\'.repeat(backslashes)}${c}`;
    backslashes = 0;
  }
  return `${out}${'\\'.repeat(backslashes * 2)}"`;
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * The Task Scheduler definition (schema 1.2: Windows 7 and later) that keeps the agent running as
 * SYSTEM. A node single executable cannot be a Windows service (it has no service control
 * dispatcher: the service manager would kill it after 30 s), so a task does the service's job:
 * - a boot trigger starts it before anyone logs on;
 * - a trigger every 5 minutes with "ignore new instance" restarts it within 5 minutes of a crash
 *   while never running two (restart-on-failure alone covers failures to start, not exits);
 * - no time limit, no battery or idle conditions, below-normal priority (7).
 */
export function renderScheduledTaskXml(launch: AgentLaunch): string {
  const args = launch.args.map(quoteWindowsArg).join(' ');
  return [
    '<?xml version="1.0" encoding="UTF-16"?>',
    '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">',
    '  <RegistrationInfo>',
    '    <Description>zhengban agent: reports installed and activated software to the zhengban server. Written by "zhengban-agent install".</Description>',
    `    <URI>\\${WINDOWS_TASK_NAME}</URI>`,
    '  </RegistrationInfo>',
    '  <Triggers>',
    '    <BootTrigger>',
    '      <Enabled>true</Enabled>',
    '    </BootTrigger>',
    '    <TimeTrigger>',
    '      <Repetition>',
    '        <Interval>PT5M</Interval>',
    '        <StopAtDurationEnd>false</StopAtDurationEnd>',
    '      </Repetition>',
    '      <StartBoundary>2020-01-01T00:00:00</StartBoundary>',
    '      <Enabled>true</Enabled>',
    '    </TimeTrigger>',
    '  </Triggers>',
    '  <Principals>',
    '    <Principal id="Author">',
    '      <UserId>S-1-5-18</UserId>',
    '      <RunLevel>HighestAvailable</RunLevel>',
    '    </Principal>',
    '  </Principals>',
    '  <Settings>',
    '    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>',
    '    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>',
    '    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>',
    '    <AllowHardTerminate>true</AllowHardTerminate>',
    '    <StartWhenAvailable>true</StartWhenAvailable>',
    '    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>',
    '    <IdleSettings>',
    '      <StopOnIdleEnd>false</StopOnIdleEnd>',
    '      <RestartOnIdle>false</RestartOnIdle>',
    '    </IdleSettings>',
    '    <AllowStartOnDemand>true</AllowStartOnDemand>',
    '    <Enabled>true</Enabled>',
    '    <Hidden>false</Hidden>',
    '    <RunOnlyIfIdle>false</RunOnlyIfIdle>',
    '    <WakeToRun>false</WakeToRun>',
    '    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>',
    '    <Priority>7</Priority>',
    '    <RestartOnFailure>',
    '      <Interval>PT1M</Interval>',
    '      <Count>999</Count>',
    '    </RestartOnFailure>',
    '  </Settings>',
    '  <Actions Context="Author">',
    '    <Exec>',
    `      <Command>${xml(launch.program)}</Command>`,
    `      <Arguments>${xml(args)}</Arguments>`,
    `      <WorkingDirectory>${xml(launch.workingDirectory)}</WorkingDirectory>`,
    '    </Exec>',
    '  </Actions>',
    '</Task>',
    '',
  ].join('\r\n');
}

function schtasks(systemRoot: string): string {
  return `${systemRoot}\\System32\\schtasks.exe`;
}

/**
 * Write the task definition into the state directory (kept: it shows support what was
 * registered), register it with schtasks (replacing an older one), and start it now.
 */
export function planWindowsInstall(launch: AgentLaunch, stateDir: string, systemRoot: string): ServicePlan {
  const xmlPath = `${stateDir}\\${WINDOWS_TASK_NAME}-task.xml`;
  return [
    { kind: 'write-file', path: xmlPath, content: renderScheduledTaskXml(launch), encoding: 'utf16le-bom', description: 'write the scheduled task definition' },
    { kind: 'run', program: schtasks(systemRoot), args: ['/Create', '/TN', WINDOWS_TASK_NAME, '/XML', xmlPath, '/F'], description: 'register it (runs as SYSTEM at boot)' },
    // A re-install replaces the definition; stop the old instance so the new command line takes over.
    { kind: 'run', program: schtasks(systemRoot), args: ['/End', '/TN', WINDOWS_TASK_NAME], description: 'stop a running older agent', ignoreFailure: true },
    { kind: 'run', program: schtasks(systemRoot), args: ['/Run', '/TN', WINDOWS_TASK_NAME], description: 'start it now' },
  ];
}

/** Stop the task's agent and delete the task. The state directory stays. */
export function planWindowsUninstall(systemRoot: string): ServicePlan {
  return [
    { kind: 'run', program: schtasks(systemRoot), args: ['/End', '/TN', WINDOWS_TASK_NAME], description: 'stop the running agent', ignoreFailure: true },
    { kind: 'run', program: schtasks(systemRoot), args: ['/Delete', '/TN', WINDOWS_TASK_NAME, '/F'], description: 'delete the scheduled task' },
  ];
}
