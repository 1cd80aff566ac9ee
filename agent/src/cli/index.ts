import { AGENT_VERSION } from '../version.ts';
import { parseInvocation } from './args.ts';
import { evidenceCaptureCommand } from './commands/evidence-capture.ts';
import { enrollCommand } from './commands/enroll.ts';
import { runCommand } from './commands/run.ts';
import { scanCommand } from './commands/scan.ts';
import { statusCommand } from './commands/status.ts';
import { installCommand, uninstallCommand } from '../service/command.ts';
import { type ProcessContext, loadConfig } from './config.ts';
import { CliError, EXIT } from './errors.ts';
import { commandHelp, generalHelp } from './help.ts';
import type { Output } from './output.ts';

/**
 * The zhengban-agent command line. Returns the exit code; errors are reported here, once, as one
 * line (with the stack only under --debug).
 */
export async function runCli(argv: string[], ctx: ProcessContext, out: Output): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    const invocation = parseInvocation(argv);
    if (invocation.kind === 'version') {
      out.stdout.write(`${AGENT_VERSION}\n`);
      return EXIT.ok;
    }
    if (invocation.kind === 'help') {
      out.stdout.write(invocation.command ? commandHelp(invocation.command) : generalHelp());
      return EXIT.ok;
    }
    const config = await loadConfig(invocation.command.words.join(' '), invocation.values, ctx);
    switch (config.command) {
      case 'enroll':
        return await enrollCommand(config, out);
      case 'run':
        return await runCommand(config, out);
      case 'scan':
        return await scanCommand(config, out);
      case 'evidence capture':
        return await evidenceCaptureCommand(config, out);
      case 'status':
        return await statusCommand(config, out);
      case 'install':
        return await installCommand(config, out);
      case 'uninstall':
        return await uninstallCommand(config, out);
    }
  } catch (err) {
    const exitCode = err instanceof CliError ? err.exitCode : EXIT.failure;
    const message = err instanceof CliError ? err.message : `unexpected error: ${(err as Error).message ?? String(err)}`;
    out.stderr.write(`zhengban-agent: ${message}\n`);
    if (debug && err instanceof Error) out.stderr.write(`${formatStack(err)}\n`);
    return exitCode;
  }
}

function formatStack(err: Error): string {
  let text = err.stack ?? String(err);
  let cause = err.cause;
  while (cause instanceof Error) {
    text += `\ncaused by: ${cause.stack ?? cause.message}`;
    cause = cause.cause;
  }
  return text;
}
