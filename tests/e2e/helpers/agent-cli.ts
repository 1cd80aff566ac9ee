/**
 * The real agent CLI in child processes: one-shot commands (`enroll`, `run --once`, `status`),
 * the printed enrol command run as printed, and `run` as a long-lived daemon whose log lines a
 * test can wait for. Every call names its own state directory: tests never touch the real
 * /var/lib/zhengban-agent even when they run as root.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OutputLines } from './output-lines.ts';
import { makeTempDir } from './temp-dir.ts';
import { REPO_ROOT } from './server-process.ts';

export const AGENT_BIN = join(REPO_ROOT, 'agent/bin/zhengban-agent.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A fresh, empty state directory for one agent. */
export function createStateDir(): Promise<string> {
  return makeTempDir('agent');
}

/** The credentials the agent saved at enrolment (agent id, server URL). */
export async function readAgentCredentials(stateDir: string): Promise<{ agentId: string; serverUrl: string; secret: string }> {
  return JSON.parse(await readFile(join(stateDir, 'credentials.json'), 'utf8'));
}

function execute(file: string, args: string[], timeoutMs: number): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: REPO_ROOT, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs `zhengban-agent <args>` from source (the package's bin), waiting for it to exit. */
export function runAgent(args: string[], options: { timeoutMs?: number } = {}): Promise<CliResult> {
  return execute(process.execPath, [AGENT_BIN, ...args], options.timeoutMs ?? 180_000);
}

/** Runs `zhengban-agent <args>` and throws with its exit code and stderr unless it exits 0. */
export async function runAgentOk(args: string[]): Promise<CliResult> {
  const result = await runAgent(args);
  if (result.code !== 0) throw new Error(`zhengban-agent ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result;
}

/**
 * Runs a command line the server printed, word for word from the repository root (as a user who
 * copies it would), with `extraArgs` appended. The printed command uses the agent's default
 * state directory, which for root is /var/lib/zhengban-agent; tests add `--state-dir`.
 */
export function runPrintedCommand(commandLine: string, extraArgs: string[]): Promise<CliResult> {
  const [program, ...args] = commandLine.trim().split(/\s+/);
  if (program !== 'npx') throw new Error(`expected an npx command line, got: ${commandLine}`);
  return execute('npx', [...args, ...extraArgs], 180_000);
}

/** `zhengban-agent run ...` left running, as a service manager runs it. */
export class AgentDaemon {
  readonly stdout = new OutputLines();
  readonly stderr = new OutputLines();
  readonly exited: Promise<number | null>;

  private constructor(readonly child: ChildProcess) {
    this.stdout.follow(child.stdout!);
    this.stderr.follow(child.stderr!);
    this.exited = once(child, 'exit').then(([code]) => {
      this.stdout.end();
      this.stderr.end();
      return code as number | null;
    });
  }

  static start(args: string[]): AgentDaemon {
    return new AgentDaemon(spawn(process.execPath, [AGENT_BIN, 'run', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  /** Waits for a log line (stderr) matching `pattern`, searching from line `from`. */
  async waitForLog(pattern: RegExp, from = 0): Promise<{ line: string; index: number }> {
    return this.stderr.waitFor((line) => pattern.test(line), `agent log line ${pattern}`, from);
  }

  /** SIGTERM: the agent finishes what it is doing and exits; resolves with its exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }
}
