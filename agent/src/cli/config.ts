import { resolve } from 'node:path';
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
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

// zod's classic API installs its English messages when loaded; with zod/mini alone (this file,
// loaded by every command) the messages would all read "Invalid input".
z.config(en());

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "30m", "1h", "1d", "1500ms"; a bare number is seconds. */
export const Duration = z.pipe(
  z.string(),
  z.transform((text: string, ctx) => {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
    if (!match) {
      ctx.issues.push({ code: 'custom', message: `"${text}" is not a duration (examples: 90s, 30m, 1h, 1d)`, input: text });
      return z.NEVER;
    }
    return Math.round(Number(match[1]) * UNIT_MS[match[2] ?? 's']!);
  }),
);

/** A duration of at least `minMs`; `minText` says the minimum in the user's words. */
function durationAtLeast(minMs: number, minText: string) {
  return z.pipe(Duration, z.number().check(z.gte(minMs, `must be at least ${minText}`)));
}

const NonEmpty = z.string().check(z.minLength(1));

const Common = {
  stateDir: NonEmpty,
  debug: z.boolean(),
  platform: z.enum(['linux', 'windows']),
  hostname: NonEmpty,
  credentials: z.custom<Credentials | null>(),
};

const RunOptions = z.object({
  once: z.boolean(),
  intervalMs: durationAtLeast(10_000, '10s'),
  fullIntervalMs: durationAtLeast(60_000, '1m'),
  timeoutMs: durationAtLeast(1_000, '1s'),
  watch: z.boolean(),
  checkIntervalMs: durationAtLeast(5_000, '5s'),
  scanTimeoutMs: durationAtLeast(1_000, '1s'),
  evidence: z.optional(z.string()),
});

const ServiceOptions = {
  dryRun: z.boolean(),
  isRoot: z.boolean(),
  systemRoot: NonEmpty,
};

const ServerUrl = z.pipe(
  z.string(),
  z.transform((url: string, ctx) => {
    try {
      return normaliseServerUrl(url);
    } catch (err) {
      ctx.issues.push({ code: 'custom', message: (err as Error).message, input: url });
      return z.NEVER;
    }
  }),
);

/**
 * The agent's configuration for one invocation: parsed once, from the flags, the process context
 * and the state directory's credentials, then passed down. Nothing below reads process.env.
 * zod/mini rather than zod: `run` parses it too, and the long-running process must stay small.
 */
export const AgentConfig = z.discriminatedUnion('command', [
  z.object({
    ...Common,
    command: z.literal('enroll'),
    server: ServerUrl,
    token: z.string().check(z.minLength(8, 'is shorter than any token the server issues'), z.maxLength(256)),
  }),
  z.object({ ...Common, command: z.literal('run'), run: RunOptions, launch: z.optional(z.custom<LaunchContext>()) }),
  z.object({ ...Common, command: z.literal('scan'), json: z.boolean(), evidence: z.optional(z.string()) }),
  z.object({ ...Common, command: z.literal('internal-scan'), out: NonEmpty, evidence: z.optional(z.string()) }),
  z.object({ ...Common, command: z.literal('evidence capture'), out: NonEmpty }),
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
  'run.scanTimeoutMs': '--scan-timeout',
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
      scanTimeoutMs: str('scan-timeout') ?? '5m',
      evidence: path('evidence'),
    };
    // How to start this program again for each scan (main.ts knows; a test calling runCli may not).
    if (ctx.launch) raw.launch = { ...ctx.launch, cwd: ctx.cwd };
  }
  if (command === 'internal-scan') Object.assign(raw, { out: path('out'), evidence: path('evidence') });
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
