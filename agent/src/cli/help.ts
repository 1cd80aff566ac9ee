import { AGENT_VERSION } from '../version.ts';
import { COMMANDS, type CommandSpec, GLOBAL_OPTIONS, type OptionSpec } from './command-specs.ts';

function optionLines(options: Record<string, OptionSpec>): string[] {
  return Object.entries(options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.value ? ` ${spec.value}` : ''}`;
    return `  ${flag.padEnd(30)} ${spec.description}`;
  });
}

/** `zhengban-agent --help`. */
export function generalHelp(): string {
  return [
    `zhengban-agent ${AGENT_VERSION} — reports what is installed and activated on this PC to a zhengban server`,
    '',
    'Usage: zhengban-agent <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.filter((c) => !c.hidden).map((c) => `  ${c.words.join(' ').padEnd(20)} ${c.summary}`),
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Exit codes: 0 ok, 1 unexpected failure, 2 usage, 3 not enrolled, 4 server unreachable or no ack in time,',
    '            5 token or credentials refused, 6 evidence error, 7 another agent uses the state directory.',
    'Run "zhengban-agent <command> --help" for a command\'s options.',
    '',
  ].join('\n');
}

/** `zhengban-agent <command> --help`. */
export function commandHelp(command: CommandSpec): string {
  return [
    `Usage: ${command.usage}`,
    '',
    `${command.summary[0]!.toUpperCase()}${command.summary.slice(1)}.`,
    ...(command.details ? ['', command.details] : []),
    '',
    'Options:',
    ...optionLines(command.options),
    ...optionLines(GLOBAL_OPTIONS),
    '',
  ].join('\n');
}
