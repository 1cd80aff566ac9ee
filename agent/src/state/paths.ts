import { join } from 'node:path';

/** What decides the default state directory; passed in so that only the config reads the environment. */
export interface StateDirContext {
  platform: NodeJS.Platform;
  /** True when running as root (Linux) — the service case. */
  isRoot: boolean;
  env: { XDG_STATE_HOME?: string | undefined; HOME?: string | undefined; ProgramData?: string | undefined };
  homedir: string;
}

/**
 * Default state directory per OS: the service's place when running as root/SYSTEM, the user's
 * XDG state directory otherwise (so that trying the agent as a user never needs sudo).
 */
export function defaultStateDir(ctx: StateDirContext): string {
  if (ctx.platform === 'win32') {
    const programData = ctx.env.ProgramData ?? 'C:\\ProgramData';
    return `${programData.replace(/[\\/]+$/, '')}\\zhengban\\agent`;
  }
  if (ctx.isRoot) return '/var/lib/zhengban-agent';
  const xdg = ctx.env.XDG_STATE_HOME;
  // The XDG spec says relative values are invalid and must be ignored.
  if (xdg && xdg.startsWith('/')) return join(xdg, 'zhengban-agent');
  return join(ctx.env.HOME || ctx.homedir, '.local', 'state', 'zhengban-agent');
}

/** File names inside the state directory (documented in agent/README.md). */
export const STATE_FILES = {
  credentials: 'credentials.json',
  status: 'status.json',
  lock: 'agent.pid',
  outbox: 'outbox',
  /** Written by a scan process for the running agent, read and removed by it. */
  scanResult: 'scan-result.json',
} as const;
