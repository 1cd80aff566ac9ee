import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { encodeUtf16leWithBom } from '../evidence/text.ts';
import type { ServicePlan, ServiceStep } from './plan.ts';

/** A step that failed, with what the program or the file system said. */
export class ServiceStepError extends Error {
  constructor(
    readonly step: ServiceStep,
    message: string,
  ) {
    super(message);
  }
}

function runProgram(program: string, args: string[]): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(program, args, { timeout: 60_000, windowsHide: true, encoding: 'utf8' }, (err, stdout, stderr) => {
      const output = `${stdout}${stderr}`.trim();
      resolve({ ok: !err, output: output || (err ? err.message : '') });
    });
    child.stdin?.end();
  });
}

/** Windows paths use backslashes; dirname of the host platform is right for the platform that runs the plan. */
function parentOf(path: string): string {
  return path.includes('\\') && !path.includes('/') ? path.slice(0, path.lastIndexOf('\\')) : dirname(path);
}

/**
 * Carries out a plan in order, reporting each step; stops at the first failure that is not marked
 * ignorable and throws a ServiceStepError naming it.
 */
export async function executePlan(plan: ServicePlan, report: (line: string) => void): Promise<void> {
  for (const step of plan) {
    if (step.kind === 'write-file') {
      try {
        await mkdir(parentOf(step.path), { recursive: true });
        const data = step.encoding === 'utf16le-bom' ? encodeUtf16leWithBom(step.content) : step.content;
        await writeFile(step.path, data, step.mode !== undefined ? { mode: step.mode } : {});
      } catch (err) {
        throw new ServiceStepError(step, `cannot write ${step.path}: ${(err as Error).message}`);
      }
      report(`wrote ${step.path}`);
    } else if (step.kind === 'remove-file') {
      await rm(step.path, { force: true }).catch((err: Error) => {
        throw new ServiceStepError(step, `cannot remove ${step.path}: ${err.message}`);
      });
      report(`removed ${step.path}`);
    } else {
      const result = await runProgram(step.program, step.args);
      const line = [step.program, ...step.args].join(' ');
      if (!result.ok && !step.ignoreFailure) throw new ServiceStepError(step, `${line} failed: ${result.output.split('\n')[0]}`);
      report(result.ok ? `ran ${line}` : `ran ${line} (failed, ignored: ${result.output.split('\n')[0]})`);
    }
  }
}
