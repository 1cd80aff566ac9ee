import { resolve } from 'node:path';
import { z } from 'zod';
import type { LaunchContext } from '../service/launch.ts';
import { type Credentials, readCredentials } from '../state/credentials.ts';
import { type StateDirContext, defaultStateDir } from '../state/paths.ts';
import { normaliseServerUrl } from '../transport/server-url.ts';
import type { OptionValues } from './args.ts';
import { CliError, EXIT } from './errors.ts';

/** What the process knows about where it runs; main.ts fills it from `process` (the only place that reads it). */
export interface ProcessContext {
  env: StateDirContext['env'];
  platform: NodeJS.Platform;
  isRoot: boolean;
  homedir: string;
  hostname: string;
  cwd: string;
  /** How this process was started (single executable or node + script), for `install`. */
  launch?: Omit<LaunchContext, 'cwd'>;
  /** %SystemRoot% on Windows, where schtasks.exe lives. */
  systemRoot?: string;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "30m", "1h", "1d", "1500ms"; a bare number is seconds. */
export const Duration = z.string().transform((text, ctx) => {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration (examples: 90s, 30m, 1h, 1d)` });
    return z.NEVER;
  }
  return Math.round(Number(match[1]) * UNIT_MS[match[2] ?? 's']!);
});

const Common = {
  stateDir: z.string().min(1),
  debug: z.boolean(),
  platform: z.enum(['linux', 'windows']),
  hostname: z.string().min(1),
  credentials: z.custom<Credentials | null>(),
};

const RunOptions = z.object({
  once: z.boolean(),
  intervalMs: Duration.pipe(z.number().min(10_000, 'must be at least 10s')),
  fullIntervalMs: Duration.pipe(z.number().min(60_000, 'must be at least 1m')),
  timeoutMs: Duration.pipe(z.number().min(1_000, 'must be at least 1s')),
  watch: z.boolean(),
  checkIntervalMs: Duration.pipe(z.number().min(5_000, 'must be at least 5s')),
  evidence: z.string().optional(),
});

const ServiceOptions = {
  dryRun: z.boolean(),
  isRoot: z.boolean(),
  systemRoot: z.string().min(1),
};

/**
 * The agent's configuration for one invocation: parsed once, from the flags, the process context
 * and the state directory's credentials, then passed down. Nothing below reads process.env.
 */
export const AgentConfig = z.discriminatedUnion('command', [
  z.object({ ...Common, command: z.literal('enroll'), server: z.string().transform((url, ctx) => {
    try {
      return normaliseServerUrl(url);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  }), token: z.string().min(8, 'is shorter than any token the server issues').max(256) }),
  z.object({ ...Common, command: z.literal('run'), run: RunOptions }),
  z.object({ ...Common, command: z.literal('scan'), json: z.boolean(), evidence: z.string().optional() }),
  z.object({ ...Common, command: z.literal('evidence capture'), out: z.string().min(1) }),
  z.object({ ...Common, command: z.literal('status'), json: z.boolean() }),
  z.object({ ...Common, command: z.literal('install'), ...ServiceOptions, launch: z.custom<LaunchContext>() }),
  z.object({ ...Common, command: z.literal('uninstall'), ...ServiceOptions }),
]);
export type AgentConfig = z.infer<typeof AgentConfig>;
export type ConfigOf<C extends AgentConfig['command']> = Extract<AgentConfig, { command: C }>;

const FLAG_NAMES: Record<string, string> = {
  server: '--server',
  token: '--token',
  out: '--out',
  'run.intervalMs': '--interval',
  'run.fullIntervalMs': '--full-interval',
  'run.timeoutMs': '--timeout',
  'run.checkIntervalMs': '--check-interval',
};

/** Builds the configuration; a missing or wrong flag is a usage error naming the flag. */
export async function loadConfig(command: string, values: OptionValues, ctx: ProcessContext): Promise<AgentConfig> {
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const bool = (name: string) => values[name] === true;
  const path = (name: string) => (str(name) === undefined ? undefined : resolve(ctx.cwd, str(name)!));
  const stateDir = path('state-dir') ?? defaultStateDir(ctx);

  const raw: Record<string, unknown> = {
    command,
    stateDir,
    debug: bool('debug'),
    platform: ctx.platform === 'win32' ? 'windows' : 'linux',
    hostname: ctx.hostname,
    credentials: null,
  };
  if (command === 'enroll') Object.assign(raw, { server: str('server'), token: str('token') });
  if (command === 'run') {
    raw.run = {
      once: bool('once'),
      intervalMs: str('interval') ?? '1h',
      fullIntervalMs: str('full-interval') ?? '24h',
      timeoutMs: str('timeout') ?? '2m',
      watch: !bool('no-watch'),
      checkIntervalMs: str('check-interval') ?? '60s',
      evidence: path('evidence'),
    };
  }
  if (command === 'scan') Object.assign(raw, { json: bool('json'), evidence: path('evidence') });
  if (command === 'evidence capture') raw.out = path('out');
  if (command === 'status') raw.json = bool('json');
  if (command === 'install' || command === 'uninstall') {
    Object.assign(raw, { dryRun: bool('dry-run'), isRoot: ctx.isRoot, systemRoot: ctx.systemRoot ?? 'C:\\Windows' });
    // Without main.ts's launch facts (a test calling runCli), describe a plain source run.
    if (command === 'install') raw.launch = { isSea: false, execPath: 'node', execArgv: [], ...ctx.launch, cwd: ctx.cwd };
  }

  const parsed = AgentConfig.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.join('.');
    const flag = FLAG_NAMES[key] ?? key;
    const message = issue.code === 'invalid_type' && issue.input === undefined ? `${flag} is required` : `${flag}: ${issue.message}`;
    throw new CliError(`${message}; see "zhengban-agent ${command} --help"`, EXIT.usage);
  }
  try {
    parsed.data.credentials = await readCredentials(stateDir);
  } catch (err) {
    // Enrolling again is the way out of damaged credentials, so enroll ignores them.
    if (command !== 'enroll') throw new CliError((err as Error).message, EXIT.notEnrolled, { cause: err });
  }
  return parsed.data;
}
