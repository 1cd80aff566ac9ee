import { execFile } from 'node:child_process';

export type WindowsCommandResult = { ok: true; stdout: string } | { ok: false; missing: boolean; message: string; stdout: string };

/** Runs one program; the capture takes it as a parameter so tests can run it against wine or a recording. */
export type WindowsCommandRunner = (file: string, args: string[], timeoutMs: number) => Promise<WindowsCommandResult>;

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function tryDecoder(label: string): TextDecoder | undefined {
  try {
    return new TextDecoder(label);
  } catch {
    // Node built without full ICU has no legacy code pages.
    return undefined;
  }
}
const gbk = tryDecoder('gbk');

/**
 * Decodes what a Windows console program wrote to a pipe. reg.exe and cmd write the OEM code page
 * (936/GBK on Chinese Windows), wmic writes UTF-16LE, PowerShell writes UTF-8 once told to. A BOM
 * or zero high bytes mean UTF-16LE; valid UTF-8 is UTF-8 (plain ASCII included); anything else is
 * taken for GBK, the code page of the machines this agent is for.
 */
export function decodeConsoleOutput(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes.length >= 4 && bytes[1] === 0 && bytes[3] === 0 && bytes[0] !== 0) return new TextDecoder('utf-16le').decode(bytes);
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return (gbk ?? new TextDecoder('latin1')).decode(bytes);
  }
}

/**
 * Runs a Windows program without a shell and decodes its output (see decodeConsoleOutput).
 * `missing` tells "no such program here" (PowerShell removed, wmic gone on Windows 11 24H2).
 */
export const runWindowsCommand: WindowsCommandRunner = (file, args, timeoutMs) =>
  new Promise((resolve) => {
    const child = execFile(file, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'buffer', windowsHide: true }, (err, stdout, stderr) => {
      const out = decodeConsoleOutput(stdout);
      if (!err) {
        resolve({ ok: true, stdout: out });
        return;
      }
      const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: string | number };
      if (e.code === 'ENOENT') resolve({ ok: false, missing: true, message: `${file} not found`, stdout: out });
      else if (e.killed) resolve({ ok: false, missing: false, message: `timed out after ${timeoutMs} ms`, stdout: out });
      else {
        const detail = (decodeConsoleOutput(stderr).trim() || out.trim() || e.message).split(/\r?\n/)[0] ?? '';
        resolve({ ok: false, missing: false, message: `exit ${String(e.code)}: ${detail}`.slice(0, 1000), stdout: out });
      }
    });
    // wmic (and PowerShell with some hosts) read stdin until it ends: close it, or they wait forever.
    child.stdin?.end();
  });
