import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { describeZodError } from '@zhengban/protocol';

export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Every setting of the server, with the environment variable it comes from. The README's config
 * table is this list. Empty variables count as unset (compose files often write `VAR=`).
 */
export const CONFIG_VARIABLES = {
  port: { env: 'PORT', description: 'TCP port to listen on (0 = any free port)', default: '8080' },
  host: { env: 'HOST', description: 'address to listen on', default: '0.0.0.0' },
  dataDir: {
    env: 'DATA_DIR',
    description: 'where the embedded database lives; relative paths start at the directory `npm start` ran in',
    default: './data',
  },
  databaseUrl: {
    env: 'DATABASE_URL',
    description: 'PostgreSQL URL (postgres://user@host:5432/db); unset = embedded PGlite under DATA_DIR/pglite',
    default: '(unset)',
  },
  adminPassword: {
    env: 'ZHENGBAN_ADMIN_PASSWORD',
    description: 'password of the `admin` user when it is first created; unset = generated and printed once',
    default: '(unset)',
  },
  enrollToken: {
    env: 'ZHENGBAN_ENROLL_TOKEN',
    description: 'extra long-lived enrolment token for the default unit (automated roll-outs)',
    default: '(unset)',
  },
  maxFrameBytes: {
    env: 'ZHENGBAN_MAX_FRAME_BYTES',
    description: 'largest agent WebSocket frame accepted, in bytes',
    default: String(DEFAULT_MAX_FRAME_BYTES),
  },
  trustProxy: {
    env: 'ZHENGBAN_TRUST_PROXY',
    description:
      'proxies whose X-Forwarded-For/-Proto are believed: `loopback`, addresses or CIDRs (comma-separated), or `true` (any); unset = none: the client address and TLS are what the socket shows',
    default: '(unset)',
  },
  alertSweepSeconds: {
    env: 'ZHENGBAN_ALERT_SWEEP_SECONDS',
    description: 'seconds between alert sweeps (expiring subscriptions, shortfalls, findings, silent machines); 0 = no sweep',
    default: '300',
  },
  agentDownloadsDir: {
    env: 'ZHENGBAN_AGENT_DOWNLOADS_DIR',
    description: 'directory of the agent executables offered for download (what `npm run build:agent` writes)',
    default: 'dist/agent in the repository',
  },
  logLevel: { env: 'LOG_LEVEL', description: `log level: ${LOG_LEVELS.join(', ')}`, default: 'info' },
  publicUrl: {
    env: 'ZHENGBAN_PUBLIC_URL',
    description: 'URL agents and browsers use to reach the server (behind a proxy); printed at start',
    default: '(derived from HOST and PORT)',
  },
} as const;

type ConfigKey = keyof typeof CONFIG_VARIABLES;

const PostgresUrl = z
  .url({ protocol: /^postgres(ql)?$/, error: 'expected a postgres:// or postgresql:// URL' });

const ConfigSchema = z.object({
  port: z.coerce.number().int().min(0).max(65_535).default(8080),
  host: z.string().min(1).default('0.0.0.0'),
  dataDir: z.string().min(1),
  databaseUrl: PostgresUrl.optional(),
  adminPassword: z.string().min(8, 'must be at least 8 characters').max(1024).optional(),
  // The protocol's EnrollRequest accepts tokens of 8 to 256 characters.
  enrollToken: z.string().min(8, 'must be at least 8 characters').max(256).optional(),
  maxFrameBytes: z.coerce.number().int().min(1024).max(512 * 1024 * 1024).default(DEFAULT_MAX_FRAME_BYTES),
  trustProxy: z
    .string()
    .max(1000)
    .transform((value): boolean | string => (value === 'true' ? true : value === 'false' ? false : value))
    .optional(),
  alertSweepSeconds: z.coerce.number().int().min(0).max(86_400).default(300),
  agentDownloadsDir: z.string().min(1).optional(),
  logLevel: z.enum(LOG_LEVELS).default('info'),
  publicUrl: z
    .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
});

/** The server's configuration, parsed once at start and passed down. */
export type Config = z.infer<typeof ConfigSchema>;

/** Thrown when the environment holds a setting that cannot work; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Builds the configuration from environment variables. `DATA_DIR` is resolved against
 * `INIT_CWD` (the directory `npm start` was invoked from; npm runs the workspace script in
 * server/) or else the current directory, so `npm start` at the root keeps its data in ./data.
 */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const raw: Record<string, string> = {};
  for (const [key, variable] of Object.entries(CONFIG_VARIABLES)) {
    const value = env[variable.env]?.trim();
    if (value) raw[key] = value;
  }
  const baseDir = env.INIT_CWD?.trim() || cwd;
  const dataDir = raw.dataDir ?? './data';
  raw.dataDir = isAbsolute(dataDir) ? dataDir : resolve(baseDir, dataDir);
  if (raw.agentDownloadsDir && !isAbsolute(raw.agentDownloadsDir)) raw.agentDownloadsDir = resolve(baseDir, raw.agentDownloadsDir);

  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path[0] as ConfigKey | undefined;
      const name = key && key in CONFIG_VARIABLES ? CONFIG_VARIABLES[key].env : String(key);
      return `${name}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`, { cause: describeZodError(parsed.error) });
  }
  return parsed.data;
}
