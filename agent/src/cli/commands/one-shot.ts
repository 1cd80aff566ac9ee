/**
 * Every command except `run`: they run once and exit, and between them they load zod's classic
 * API, the protocol's schemas, tar, capture and interpretation. `run` stays up for months and
 * reaches this module only through its scan processes (`internal-scan`), so none of that code
 * lives in the long-running process. The release build embeds this module as a second script
 * that is compiled only when a one-shot command runs (agent/scripts/build/bundle.ts).
 */
export { enrollCommand } from './enroll.ts';
export { evidenceCaptureCommand } from './evidence-capture.ts';
export { internalScanCommand } from './internal-scan.ts';
export { scanCommand } from './scan.ts';
export { statusCommand } from './status.ts';
export { installCommand, uninstallCommand } from '../../service/command.ts';
export { scanInventory } from '../scan-source.ts';
