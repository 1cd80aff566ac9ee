/**
 * How the service manager starts the agent. A single-executable build starts itself; a run from
 * source starts node with the same flags and script as the current process (the bin shim, or
 * `node --import tsx agent/src/main.ts`), so whatever worked on the command line works at boot.
 */
export interface LaunchContext {
  /** True inside the single-executable build (node:sea isSea()). */
  isSea: boolean;
  /** process.execPath: the SEA binary itself, or node. */
  execPath: string;
  /** process.execArgv (node flags such as --import tsx); ignored for the SEA. */
  execArgv: string[];
  /** The script node runs (process.argv[1], symlinks resolved); absent for the SEA. */
  script?: string;
  /** The working directory at install time (a source run may need it to resolve `--import tsx`). */
  cwd: string;
}

export interface AgentLaunch {
  program: string;
  args: string[];
  workingDirectory: string;
}

/** Node flags that make sense for one interactive run only (a debugger port would clash at boot). */
const INTERACTIVE_FLAGS = /^--(inspect|inspect-brk|inspect-port|debug-port|watch|test)(=|$)/;

/** The command line of `zhengban-agent run --state-dir DIR` for the service manager. */
export function agentLaunchCommand(ctx: LaunchContext, stateDir: string, windows: boolean): AgentLaunch {
  const { program, args } = agentCommandLine(ctx, ['run', '--state-dir', stateDir]);
  return { program, args, workingDirectory: ctx.isSea || !ctx.script ? (windows ? stateDir : '/') : ctx.cwd };
}

/** This very program with other arguments (`run` starts its scan processes with it). */
export function agentCommandLine(ctx: LaunchContext, agentArgs: string[]): { program: string; args: string[] } {
  if (ctx.isSea || !ctx.script) return { program: ctx.execPath, args: agentArgs };
  const nodeArgs = ctx.execArgv.filter((a) => !INTERACTIVE_FLAGS.test(a));
  return { program: ctx.execPath, args: [...nodeArgs, ctx.script, ...agentArgs] };
}
