import { parseArgs } from 'node:util';
import { COMMANDS, type CommandSpec, GLOBAL_OPTIONS, type OptionSpec, allOptionSpecs } from './command-specs.ts';
import { CliError, EXIT } from './errors.ts';

export type OptionValues = Record<string, string | boolean | undefined>;

export type Invocation =
  | { kind: 'help'; command?: CommandSpec }
  | { kind: 'version' }
  | { kind: 'command'; command: CommandSpec; values: OptionValues };

type ParseArgsOptions = Record<string, { type: 'string' | 'boolean'; short?: string }>;

function toParseArgs(specs: Record<string, OptionSpec>): ParseArgsOptions {
  return Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, { type: spec.type, ...(spec.short ? { short: spec.short } : {}) }]));
}

/**
 * Reads the command line: the command words first (options may come before or after them), then
 * the options strictly against that command's list, so a typo is an error that names the option
 * rather than something silently ignored.
 */
export function parseInvocation(argv: string[]): Invocation {
  // First pass: knowing every option's type keeps option values from being taken for command words.
  const loose = parseArgs({ args: argv, options: toParseArgs(allOptionSpecs()), allowPositionals: true, strict: false });
  const words = loose.positionals;
  const wantsHelp = loose.values.help === true;
  if (words.length === 0) {
    if (loose.values.version === true && !wantsHelp) return { kind: 'version' };
    if (wantsHelp) return { kind: 'help' };
    throw new CliError('no command given; see "zhengban-agent --help"', EXIT.usage);
  }
  const command = findCommand(words);
  if (wantsHelp) return { kind: 'help', command };

  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: toParseArgs({ ...GLOBAL_OPTIONS, ...command.options }), allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliError(`${describeParseError(err as Error)}; see "zhengban-agent ${command.words.join(' ')} --help"`, EXIT.usage);
  }
  const extra = parsed.positionals.slice(command.words.length);
  if (extra.length > 0) throw new CliError(`unexpected argument "${extra[0]}" for "${command.words.join(' ')}"; see "zhengban-agent ${command.words.join(' ')} --help"`, EXIT.usage);
  return { kind: 'command', command, values: parsed.values as OptionValues };
}

function findCommand(words: string[]): CommandSpec {
  const exact = COMMANDS.find((c) => c.words.every((w, i) => words[i] === w));
  if (exact) return exact;
  const group = COMMANDS.filter((c) => c.words[0] === words[0] && c.words.length > 1);
  if (group.length > 0) {
    const choices = group.map((c) => c.words[1]).join(', ');
    throw new CliError(
      words[1] ? `unknown command "${words.slice(0, 2).join(' ')}"; "${words[0]}" takes: ${choices}` : `"${words[0]}" needs a subcommand: ${choices}`,
      EXIT.usage,
    );
  }
  throw new CliError(`unknown command "${words[0]}"; commands: ${COMMANDS.filter((c) => !c.hidden).map((c) => c.words.join(' ')).join(', ')}`, EXIT.usage);
}

/** parseArgs' messages are long and suggest `--`; say just what is wrong. */
function describeParseError(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  const option = /'(-[^']*)'/.exec(err.message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = /--([a-z-]+)/.exec(err.message)?.[1];
    return name && err.message.includes('argument missing') ? `--${name} needs a value` : err.message.split('\n')[0]!;
  }
  return err.message.split('\n')[0]!;
}
