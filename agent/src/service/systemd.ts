import type { AgentLaunch } from './launch.ts';
import type { ServicePlan } from './plan.ts';

export const SYSTEMD_UNIT_NAME = 'zhengban-agent.service';
export const SYSTEMD_UNIT_PATH = `/etc/systemd/system/${SYSTEMD_UNIT_NAME}`;

/**
 * Quotes one word for a unit file's command line (systemd.syntax(7)): double quotes around words
 * with spaces or quotes, `\` and `"` escaped, `%` doubled (specifier) and `$` doubled (variable).
 */
export function quoteSystemdWord(word: string): string {
  const escaped = word.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  if (escaped !== '' && !/[\s"'\\;]/.test(escaped)) return escaped;
  return `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The unit that runs the agent at boot as root and restarts it whenever it stops: Restart=always
 * with no start limit (a server that is down for a day must not leave the agent given up).
 * Hardening that capture tolerates: it reads /etc, /var/lib/dpkg, /sys and /proc and writes only
 * the state directory.
 */
export function renderSystemdUnit(launch: AgentLaunch, stateDir: string): string {
  const execStart = [launch.program, ...launch.args].map(quoteSystemdWord).join(' ');
  return [
    '# Written by "zhengban-agent install"; removed by "zhengban-agent uninstall".',
    '[Unit]',
    'Description=zhengban agent: reports installed and activated software to the zhengban server',
    'Wants=network-online.target',
    'After=network-online.target',
    'StartLimitIntervalSec=0',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${execStart}`,
    `WorkingDirectory=${quoteSystemdWord(launch.workingDirectory)}`,
    'Restart=always',
    'RestartSec=10',
    'NoNewPrivileges=yes',
    'ProtectSystem=full',
    'ProtectHome=read-only',
    // A private /tmp would hide a state directory kept there (tests, trials).
    ...(/^\/(var\/)?tmp(\/|$)/.test(stateDir) ? [] : ['PrivateTmp=yes']),
    `ReadWritePaths=${quoteSystemdWord(stateDir)}`,
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/** Write the unit, reload systemd, enable and (re)start the service. */
export function planSystemdInstall(launch: AgentLaunch, stateDir: string, unitExists: boolean): ServicePlan {
  return [
    { kind: 'write-file', path: SYSTEMD_UNIT_PATH, content: renderSystemdUnit(launch, stateDir), mode: 0o644, description: 'write the systemd unit' },
    { kind: 'run', program: 'systemctl', args: ['daemon-reload'], description: 'make systemd read it' },
    { kind: 'run', program: 'systemctl', args: ['enable', '--now', SYSTEMD_UNIT_NAME], description: 'start it now and at every boot' },
    // enable --now leaves an already running agent on the old command line; a re-install restarts it.
    ...(unitExists ? [{ kind: 'run' as const, program: 'systemctl', args: ['restart', SYSTEMD_UNIT_NAME], description: 'restart it with the new unit' }] : []),
  ];
}

/** Stop and disable the service, remove the unit, reload systemd. The state directory stays. */
export function planSystemdUninstall(): ServicePlan {
  return [
    { kind: 'run', program: 'systemctl', args: ['disable', '--now', SYSTEMD_UNIT_NAME], description: 'stop it and drop it from boot', ignoreFailure: true },
    { kind: 'remove-file', path: SYSTEMD_UNIT_PATH, description: 'remove the systemd unit' },
    { kind: 'run', program: 'systemctl', args: ['daemon-reload'], description: 'make systemd forget it' },
  ];
}
