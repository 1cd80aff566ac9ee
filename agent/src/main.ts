/**
 * Process entry of zhengban-agent: reads the process's context once (the only place that touches
 * process.env) and hands it to the CLI. No top-level await: the single-executable build bundles
 * this file to CommonJS.
 */
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname, homedir } from 'node:os';
import { runCli } from './cli/index.ts';

/** True inside the single-executable build. node:sea is loaded lazily: node before 20.12 lacks it. */
function runsAsSingleExecutable(): boolean {
  try {
    return (createRequire(process.execPath)('node:sea') as { isSea(): boolean }).isSea();
  } catch {
    return false;
  }
}

/** The script node runs (bin shim or main.ts), symlinks resolved: `install` starts the same one at boot. */
function scriptPath(): string | undefined {
  try {
    return process.argv[1] ? realpathSync(process.argv[1]) : undefined;
  } catch {
    return process.argv[1];
  }
}

const isSea = runsAsSingleExecutable();
const script = isSea ? undefined : scriptPath();

void runCli(
  process.argv.slice(2),
  {
    env: { XDG_STATE_HOME: process.env.XDG_STATE_HOME, HOME: process.env.HOME, ProgramData: process.env.ProgramData },
    platform: process.platform,
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    homedir: homedir(),
    hostname: hostname(),
    cwd: process.cwd(),
    launch: { isSea, execPath: process.execPath, execArgv: process.execArgv, ...(script ? { script } : {}) },
    systemRoot: process.env.SystemRoot ?? process.env.windir,
  },
  { stdout: process.stdout, stderr: process.stderr },
).then((code) => {
  process.exitCode = code;
});
