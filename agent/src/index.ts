/**
 * @zhengban/agent — library entry: the three parts of the agent (capture, interpret, transport)
 * and the CLI that wires them. `main.ts` is the process entry.
 */
export { AGENT_VERSION } from './version.ts';
export { captureEvidence, captureLinuxEvidence, watchSoftwareChanges } from './capture/index.ts';
export * from './evidence/index.ts';
export { interpretEvidence } from './interpret/index.ts';
export * from './transport/index.ts';
export { runCli } from './cli/index.ts';
export { EXIT, CliError } from './cli/errors.ts';
