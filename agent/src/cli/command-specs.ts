/** One option of a command, as `util.parseArgs` takes it plus what --help says about it. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  value?: string;
  description: string;
}

export interface CommandSpec {
  /** Words that name the command: ['run'], ['evidence', 'capture']. */
  words: string[];
  summary: string;
  usage: string;
  details?: string;
  options: Record<string, OptionSpec>;
  /** Internal: not listed in --help or in "unknown command" answers. */
  hidden?: boolean;
}

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  'state-dir': { type: 'string', value: 'DIR', description: 'state directory (credentials, outbox, status); default per OS, see README' },
  debug: { type: 'boolean', description: 'log more, and show stack traces of errors' },
  help: { type: 'boolean', short: 'h', description: 'show help (of the command, when given one)' },
  version: { type: 'boolean', short: 'v', description: 'print the agent version' },
};

export const COMMANDS: CommandSpec[] = [
  {
    words: ['enroll'],
    summary: 'register this machine with a server using an enrolment token',
    usage: 'zhengban-agent enroll --server URL --token TOKEN',
    details: 'Saves the agent id and secret the server issues in <state-dir>/credentials.json (mode 0600).',
    options: {
      server: { type: 'string', value: 'URL', description: 'server address, e.g. http://zhengban.example:8080' },
      token: { type: 'string', value: 'TOKEN', description: 'enrolment token from the server (or its operator)' },
    },
  },
  {
    words: ['run'],
    summary: 'report to the server: scan now, on changes and on an interval; reconnect forever',
    usage: 'zhengban-agent run [--once] [--interval 1h] [--full-interval 24h] [--no-watch]',
    details:
      'Every report waits in the outbox on disk until the server acknowledges it. With --once: scan,\n' +
      'deliver everything queued, wait for the acknowledgements and exit (0 = all delivered).',
    options: {
      once: { type: 'boolean', description: 'scan, deliver, wait for the acks, exit' },
      interval: { type: 'string', value: 'DURATION', description: 'full rescan interval (default 1h; 90s, 30m, 2h, 1d)' },
      'full-interval': { type: 'string', value: 'DURATION', description: 'send a full report at least this often (default 24h)' },
      timeout: { type: 'string', value: 'DURATION', description: 'with --once: give up delivering after this long (default 2m)' },
      'no-watch': { type: 'boolean', description: 'do not watch for software changes between scans' },
      'check-interval': { type: 'string', value: 'DURATION', description: 'Windows: how often the Uninstall keys are checked for changes (default 60s)' },
      'scan-timeout': { type: 'string', value: 'DURATION', description: 'stop a scan that takes longer (default 5m); the next report says it failed' },
      evidence: { type: 'string', value: 'DIR|FILE', description: 'report this evidence bundle instead of the live machine (tests, support)' },
    },
  },
  {
    words: ['scan'],
    summary: 'capture and interpret this machine (or a bundle) and print the inventory',
    usage: 'zhengban-agent scan [--evidence DIR|FILE.tar.gz] [--json]',
    options: {
      json: { type: 'boolean', description: 'print the inventory as JSON (the protocol document)' },
      evidence: { type: 'string', value: 'DIR|FILE', description: 'interpret this evidence bundle instead of the live machine' },
    },
  },
  {
    // What `run` starts for every scan: capture and interpretation happen in a short-lived process
    // of this same program, so the long-running one never loads them (idle memory, and a scan that
    // crashes or hangs cannot take the agent down). Writes the result to --out as JSON.
    words: ['internal-scan'],
    hidden: true,
    summary: 'scan for a running agent and write the result to a file (internal)',
    usage: 'zhengban-agent internal-scan --out FILE [--evidence DIR|FILE]',
    options: {
      out: { type: 'string', value: 'FILE', description: 'where to write the result (JSON)' },
      evidence: { type: 'string', value: 'DIR|FILE', description: 'interpret this evidence bundle instead of the live machine' },
    },
  },
  {
    words: ['evidence', 'capture'],
    summary: 'write this machine\'s evidence bundle to a directory or .tar.gz',
    usage: 'zhengban-agent evidence capture --out DIR|FILE.tar.gz',
    options: {
      out: { type: 'string', value: 'DIR|FILE', description: 'a new (or empty) directory, or a file name ending in .tar.gz' },
    },
  },
  {
    words: ['install'],
    summary: 'start the agent at boot as root/SYSTEM and restart it after a crash',
    usage: 'zhengban-agent install [--dry-run] [--state-dir DIR]',
    details:
      'Linux: writes /etc/systemd/system/zhengban-agent.service (Restart=always) and enables it.\n' +
      'Windows: registers the scheduled task "zhengban-agent" that runs as SYSTEM at boot and every 5 minutes\n' +
      'if not running. Enrol first: the service runs "zhengban-agent run" with this state directory.',
    options: {
      'dry-run': { type: 'boolean', description: 'print what would be done, change nothing' },
    },
  },
  {
    words: ['uninstall'],
    summary: 'stop the agent and remove it from boot (keeps the state directory)',
    usage: 'zhengban-agent uninstall [--dry-run]',
    options: {
      'dry-run': { type: 'boolean', description: 'print what would be done, change nothing' },
    },
  },
  {
    words: ['status'],
    summary: 'show enrolment, connection state, last report and ack, outbox length',
    usage: 'zhengban-agent status [--json]',
    options: {
      json: { type: 'boolean', description: 'print the status as JSON' },
    },
  },
];

/** Every option of every command, by name (to find the command words before strict parsing). */
export function allOptionSpecs(): Record<string, OptionSpec> {
  const all: Record<string, OptionSpec> = { ...GLOBAL_OPTIONS };
  for (const command of COMMANDS) Object.assign(all, command.options);
  return all;
}
