import { execFile } from 'node:child_process';

export type CommandResult = { ok: true; stdout: string } | { ok: false; missing: boolean; message: string };

/**
 * Runs a program (no shell) and returns its stdout, or why it failed. `missing` tells "the program
 * does not exist here" (normal: no rpm on Debian) from a real failure.
 */
export function runCommand(file: string, args: string[], timeoutMs: number): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8', windowsHide: true }, (err, stdout, stderr) => {
      if (!err) {
        resolve({ ok: true, stdout });
        return;
      }
      const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: string | number };
      if (e.code === 'ENOENT') {
        resolve({ ok: false, missing: true, message: `${file} not found` });
      } else if (e.killed) {
        resolve({ ok: false, missing: false, message: `timed out after ${timeoutMs} ms` });
      } else {
        const detail = String(stderr || e.message).trim().split('\n')[0] ?? '';
        resolve({ ok: false, missing: false, message: `exit ${String(e.code)}: ${detail}`.slice(0, 1000) });
      }
    });
  });
}
