import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../../agent/src/cli/index.ts';
import type { ProcessContext } from '../../../agent/src/cli/config.ts';

export const AGENT_BIN = fileURLToPath(new URL('../../../agent/bin/zhengban-agent.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process with captured output (fast; for argument handling). */
export async function runCliInProcess(argv: string[], context: Partial<ProcessContext> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    argv,
    { env: {}, platform: 'linux', isRoot: false, homedir: '/home/tester', hostname: 'pc-01', cwd: process.cwd(), ...context },
    { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } },
  );
  return { code, stdout, stderr };
}

/** Runs the real `zhengban-agent` bin in a child process, as a user or a service manager would. */
export function runAgentBin(argv: string[], options: { timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [AGENT_BIN, ...argv], { timeout: options.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
