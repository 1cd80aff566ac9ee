/**
 * Process entry of zhengban-agent: reads the process's context once (the only place that touches
 * process.env) and hands it to the CLI. No top-level await: the single-executable build bundles
 * this file to CommonJS.
 */
import { hostname, homedir } from 'node:os';
import { runCli } from './cli/index.ts';

void runCli(
  process.argv.slice(2),
  {
    env: { XDG_STATE_HOME: process.env.XDG_STATE_HOME, HOME: process.env.HOME, ProgramData: process.env.ProgramData },
    platform: process.platform,
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    homedir: homedir(),
    hostname: hostname(),
    cwd: process.cwd(),
  },
  { stdout: process.stdout, stderr: process.stderr },
).then((code) => {
  process.exitCode = code;
});
