import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import type { ProcessContext } from '../../../agent/src/cli/config.ts';
import { runCli } from '../../../agent/src/cli/index.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process with captured output. */
export async function runCliCaptured(argv: string[], context: Partial<ProcessContext> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    argv,
    { env: {}, platform: 'linux', isRoot: true, homedir: '/root', hostname: 'pc-01', cwd: '/', ...context },
    { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } },
  );
  return { code, stdout, stderr };
}

/** A temporary directory removed after the test. */
export async function tempDir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zhengban-service-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs a program and returns its exit code and output (never throws). */
export function runProgram(file: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** True when a program can be found on PATH. */
export async function hasProgram(name: string): Promise<boolean> {
  return (await runProgram('sh', ['-c', `command -v ${name}`])).code === 0;
}
