/**
 * The real zhengban server as `npm start` runs it: a child process `node --import tsx
 * server/src/server.ts`, configured only through its environment, read only through what it
 * prints (the start-up banner and its JSON log lines). Tests stop it, SIGKILL it and start it
 * again on the same data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { OutputLines } from './output-lines.ts';
import type { ServerDatabase } from './server-database.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SERVER_ENTRY = 'server/src/server.ts';

/** What `npm start` prints once it listens. */
export interface Banner {
  url: string;
  username: string;
  /** The generated admin password; absent on a restart (it is shown only once). */
  password?: string;
  /** The exact enrol command line, as printed. */
  enrollCommand: string;
  /** The exact run command line, as printed. */
  runCommand: string;
}

/** One line of the server's pino log. */
export interface LogEntry {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** The server's `agent report` log line: one per report it answered. */
export interface ReportLog extends LogEntry {
  agentId: string;
  type: 'inventory.full' | 'inventory.delta';
  seq: number;
  result: 'applied' | 'duplicate' | 'rejected';
  rowsUpserted?: number;
  rowsRemoved?: number;
  requestFull?: string;
}

export interface ServerOptions {
  database: ServerDatabase;
  /** HOST; unset = the default (all interfaces), as a plain `npm start`. */
  host?: string;
  /** PORT; 0 (default) = any free port. */
  port?: number;
  /** More environment, e.g. ZHENGBAN_MAX_FRAME_BYTES. */
  env?: Record<string, string>;
}

export class ServerProcess {
  readonly stdout = new OutputLines();
  readonly stderr = new OutputLines();
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The port it listens on (from the banner). */
  port = 0;

  private constructor(
    readonly child: ChildProcess,
    readonly options: ServerOptions,
  ) {
    this.stdout.follow(child.stdout!);
    this.stderr.follow(child.stderr!);
    this.exited = once(child, 'exit').then(([code, signal]) => {
      this.stdout.end();
      this.stderr.end();
      return { code: code as number | null, signal: signal as NodeJS.Signals | null };
    });
  }

  /** Starts the server and waits until it has printed its banner (it listens by then). */
  static async start(options: ServerOptions): Promise<{ server: ServerProcess; banner: Banner }> {
    const env: NodeJS.ProcessEnv = { ...withoutServerVariables(process.env), PORT: String(options.port ?? 0), DATA_DIR: options.database.dataDir, ...options.env };
    if (options.host) env.HOST = options.host;
    if (options.database.databaseUrl) env.DATABASE_URL = options.database.databaseUrl;
    const child = spawn(process.execPath, ['--import', 'tsx', SERVER_ENTRY], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new ServerProcess(child, options);
    try {
      return { server, banner: await server.readBanner() };
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(`${(error as Error).message}\nstderr:\n${server.stderr.tail()}`);
    }
  }

  /** Starts the server again on the same database and port (after a stop or a kill). */
  async restart(): Promise<{ server: ServerProcess; banner: Banner }> {
    return ServerProcess.start({ ...this.options, port: this.port });
  }

  /** The server's log entries so far (JSON lines on stdout). */
  logs(): LogEntry[] {
    return this.stdout.lines.flatMap((line) => parseLogLine(line) ?? []);
  }

  /** The `agent report` entries so far, in order. */
  reports(agentId?: string): ReportLog[] {
    return this.logs().filter((e): e is ReportLog => e.msg === 'agent report' && (!agentId || e.agentId === agentId));
  }

  /** Waits for a log entry `match` accepts; returns it. */
  async waitForLog(match: (entry: LogEntry) => boolean, what: string): Promise<LogEntry> {
    const { line } = await this.stdout.waitFor((line) => {
      const entry = parseLogLine(line);
      return entry !== undefined && match(entry);
    }, what);
    return parseLogLine(line)!;
  }

  /** Waits for the `agent report` line of one report. */
  async waitForReport(agentId: string, seq: number, result?: ReportLog['result']): Promise<ReportLog> {
    return (await this.waitForLog(
      (e) => e.msg === 'agent report' && e.agentId === agentId && e.seq === seq && (!result || e.result === result),
      `the server's log line for report ${seq}${result ? ` (${result})` : ''} of agent ${agentId}`,
    )) as ReportLog;
  }

  /** SIGTERM, as a service manager stops it; resolves with the exit code (0 = clean shutdown). */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return (await this.exited).code;
  }

  /** SIGKILL: the process dies at once, mid-whatever, as in a power cut or an OOM kill. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  private async readBanner(): Promise<Banner> {
    const run = await this.stdout.waitFor((l) => /^\s+npx zhengban-agent run\s*$/.test(l), 'the start-up banner');
    const text = this.stdout.lines.slice(0, run.index + 1);
    const find = (re: RegExp, what: string) => {
      for (const line of text) {
        const m = re.exec(line);
        if (m) return m;
      }
      throw new Error(`the banner has no ${what}:\n${text.join('\n')}`);
    };
    const url = find(/zhengban server is running at (\S+)/, 'URL')[1]!;
    this.port = Number(new URL(url).port);
    const password = /^\s+password: (\S+)\s+\(generated/.exec(text.find((l) => /^\s+password: \S+\s+\(generated/.test(l)) ?? '')?.[1];
    return {
      url,
      username: find(/^\s+username: (\S+)/, 'username')[1]!,
      ...(password ? { password } : {}),
      enrollCommand: find(/^\s+(npx zhengban-agent enroll .*\S)\s*$/, 'enrol command')[1]!,
      runCommand: run.line.trim(),
    };
  }
}

function parseLogLine(line: string): LogEntry | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const entry = JSON.parse(line) as LogEntry;
    return typeof entry.msg === 'string' ? entry : undefined;
  } catch {
    return undefined;
  }
}

/** The test runner's own environment minus every variable the server reads: each test sets its own. */
function withoutServerVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (/^(PORT|HOST|DATA_DIR|DATABASE_URL|LOG_LEVEL|ZHENGBAN_.*|INIT_CWD)$/.test(key)) continue;
    out[key] = value;
  }
  return out;
}
