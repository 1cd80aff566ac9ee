/**
 * What `install` and `uninstall` do, as data: the steps are computed by pure functions (tested,
 * and printed by --dry-run) and carried out by execute.ts.
 */
export type ServiceStep =
  | { kind: 'write-file'; path: string; content: string; mode?: number; encoding?: 'utf8' | 'utf16le-bom'; description: string }
  | { kind: 'remove-file'; path: string; description: string }
  | { kind: 'run'; program: string; args: string[]; description: string; ignoreFailure?: boolean };

export type ServicePlan = ServiceStep[];

/** A step as a line a person can read or paste into a shell (for --dry-run). */
export function describeStep(step: ServiceStep): string {
  switch (step.kind) {
    case 'write-file':
      return `write ${step.path}${step.mode !== undefined ? ` (mode ${step.mode.toString(8)})` : ''}  # ${step.description}`;
    case 'remove-file':
      return `remove ${step.path}  # ${step.description}`;
    case 'run':
      return `run ${[step.program, ...step.args].map((a) => (/[\s"]/.test(a) ? JSON.stringify(a) : a)).join(' ')}  # ${step.description}${step.ignoreFailure ? ' (a failure is ignored)' : ''}`;
  }
}
