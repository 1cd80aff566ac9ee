import { AGENT_VERSION } from '../version.ts';
import { parseInvocation } from './args.ts';
import { type ProcessContext, loadConfig } from './config.ts';
import { CliError, EXIT } from './errors.ts';
import { commandHelp, generalHelp } from './help.ts';
import type { Output } from './output.ts';

/**
 * The zhengban-agent command line. A command's module is imported when that command runs: `run`
 * stays up for months and must not carry the code (zod's classic API, the protocol's schemas,
 * tar, capture, interpretation: ~25 MiB of RSS) that only the one-shot commands and its own
 * short-lived scan processes need (see commands/one-shot.ts). Returns the exit code; errors are
 * reported here, once, as one line (with the stack only under --debug).
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
    if (config.command === 'run') return await (await import('./commands/run.ts')).runCommand(config, out);
    const commands = await import('./commands/one-shot.ts');
    switch (config.command) {
      case 'enroll':
        return await commands.enrollCommand(config, out);
      case 'scan':
        return await commands.scanCommand(config, out);
      case 'internal-scan':
        return await commands.internalScanCommand(config);
      case 'evidence capture':
        return await commands.evidenceCaptureCommand(config, out);
      case 'status':
        return await commands.statusCommand(config, out);
      case 'install':
        return await commands.installCommand(config, out);
      case 'uninstall':
        return await commands.uninstallCommand(config, out);
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
