/**
 * Exit codes of zhengban-agent (documented in agent/README.md; scripts and service managers rely
 * on them, so they never change meaning).
 */
export const EXIT = {
  ok: 0,
  /** Something unexpected failed (a bug or the machine itself); run with --debug for the stack. */
  failure: 1,
  /** The command line is wrong. */
  usage: 2,
  /** The agent is not enrolled (no credentials in the state directory). */
  notEnrolled: 3,
  /** The server could not be reached, or did not acknowledge every report in time. */
  unreachable: 4,
  /** The server refused the enrolment token or the agent's credentials. */
  refused: 5,
  /** Evidence could not be captured, read or interpreted. */
  evidence: 6,
  /** Another agent process already uses this state directory. */
  busy: 7,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error meant for the person at the terminal: one clear line and an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
