import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import type { Inventory } from '@zhengban/protocol/agent';
import { CliError, EXIT } from './errors.ts';
import { readScanResult } from './scan-result.ts';

/** One scan as the running agent sees it: an inventory, or why there is none. */
export type ScanOutcome =
  | { ok: true; inventory: Inventory; evidenceSha256: string }
  | { ok: false; message: string; exitCode: number; aborted?: boolean };

/** Runs one scan; `signal` stops it (the agent is shutting down). */
export type ScanRunner = (signal?: AbortSignal) => Promise<ScanOutcome>;

export interface ScanProcessOptions {
  /** The program and arguments of `zhengban-agent internal-scan --out <resultPath> ...`. */
  program: string;
  args: string[];
  cwd?: string;
  /** Where the scan process writes its result (removed before and after). */
  resultPath: string;
  /** A scan still running after this long is killed and reported as failed. */
  timeoutMs: number;
}

/** Keep this much of a scan process's stderr: enough for its one-line error and a stack under --debug. */
const STDERR_TAIL_CHARS = 8_192;

/**
 * Scans in a short-lived process of this same program (`internal-scan`), so that the long-running
 * agent never loads capture, interpretation or the protocol's schemas, and gives their memory back
 * to the system when each scan ends. A scan that crashes, hangs past `timeoutMs` or cannot start
 * becomes a failed outcome with the reason; it never throws into the agent.
 */
export function childProcessScanRunner(options: ScanProcessOptions): ScanRunner {
  return async (signal) => {
    await rm(options.resultPath, { force: true });
    const ended = await runScanProcess(options, signal);
    try {
      const result = await readScanResult(options.resultPath);
      if (result?.ok) return { ok: true, inventory: result.inventory, evidenceSha256: result.evidenceSha256 };
      if (result) return { ok: false, message: result.message, exitCode: result.exitCode };
    } catch (err) {
      return { ok: false, message: `the scan process left an unreadable result: ${(err as Error).message}`, exitCode: EXIT.failure };
    } finally {
      await rm(options.resultPath, { force: true }).catch(() => {});
    }
    return { ok: false, message: ended.reason, exitCode: EXIT.failure, ...(ended.aborted ? { aborted: true } : {}) };
  };
}

/** Runs the scan process to its end; `reason` says how it ended when it wrote no result. */
function runScanProcess(options: ScanProcessOptions, signal: AbortSignal | undefined): Promise<{ reason: string; aborted: boolean }> {
  return new Promise((resolve) => {
    let stderr = '';
    let stoppedBecause: 'timeout' | 'aborted' | null = null;
    const child = spawn(options.program, options.args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      windowsHide: true,
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS)));
    const stop = (why: 'timeout' | 'aborted') => {
      stoppedBecause ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop('timeout'), options.timeoutMs);
    const onAbort = () => stop('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) stop('aborted');

    let settled = false;
    const finish = (reason: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve({ reason, aborted: stoppedBecause === 'aborted' });
    };
    child.on('error', (err) => finish(`the scan process could not start: ${err.message}`));
    child.on('close', (code, killedBy) => {
      if (stoppedBecause === 'timeout') finish(`the scan took longer than ${describeMs(options.timeoutMs)} and was stopped`);
      else if (stoppedBecause === 'aborted') finish('the scan was stopped: the agent is shutting down');
      else finish(`the scan process ${code !== null ? `exited with code ${code}` : `was killed by ${killedBy}`}${lastErrorLine(stderr)}`);
    });
  });
}

/** ": <the line that says what went wrong>" from a scan process's stderr, or nothing. */
function lastErrorLine(stderr: string): string {
  const lines = stderr.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const line = lines.findLast((l) => l.startsWith('zhengban-agent: ')) ?? lines.at(-1);
  return line ? `: ${line.slice(0, 500)}` : '';
}

function describeMs(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 100) / 10} s`;
}

/**
 * Scans in this process: for a caller of runCli that cannot say how to start this program again
 * (no launch context). The scan modules are imported on first use.
 */
export function inProcessScanRunner(source: { evidence?: string | undefined; platform: NodeJS.Platform }): ScanRunner {
  return async () => {
    const { scanInventory } = await import('./commands/one-shot.ts');
    try {
      const { inventory, evidenceSha256 } = await scanInventory(source);
      return { ok: true, inventory, evidenceSha256 };
    } catch (err) {
      if (err instanceof CliError) return { ok: false, message: err.message, exitCode: err.exitCode };
      return { ok: false, message: `unexpected error: ${(err as Error).message}`, exitCode: EXIT.failure };
    }
  };
}
