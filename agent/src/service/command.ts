import { access } from 'node:fs/promises';
import type { ConfigOf } from '../cli/config.ts';
import { CliError, EXIT } from '../cli/errors.ts';
import type { Output } from '../cli/output.ts';
import { ServiceStepError, executePlan } from './execute.ts';
import { agentLaunchCommand } from './launch.ts';
import { type ServicePlan, describeStep } from './plan.ts';
import { SYSTEMD_UNIT_NAME, SYSTEMD_UNIT_PATH, planSystemdInstall, planSystemdUninstall } from './systemd.ts';
import { WINDOWS_TASK_NAME, planWindowsInstall, planWindowsUninstall } from './windows-task.ts';

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** The install plan for this machine (pure apart from checking whether the unit is there). */
export async function planInstall(config: ConfigOf<'install'>): Promise<ServicePlan> {
  const windows = config.platform === 'windows';
  const launch = agentLaunchCommand(config.launch, config.stateDir, windows);
  if (windows) return planWindowsInstall(launch, config.stateDir, config.systemRoot);
  return planSystemdInstall(launch, config.stateDir, await exists(SYSTEMD_UNIT_PATH));
}

async function carryOut(plan: ServicePlan, dryRun: boolean, out: Output): Promise<void> {
  if (dryRun) {
    const lines = plan.flatMap((step) => [
      `  ${describeStep(step)}`,
      // The file's content is the point of a dry run: show it, indented.
      ...(step.kind === 'write-file' ? step.content.trimEnd().split(/\r?\n/).map((l) => `      | ${l}`) : []),
    ]);
    out.stdout.write(`would do (nothing changed, --dry-run):\n${lines.join('\n')}\n`);
    return;
  }
  try {
    await executePlan(plan, (line) => out.stderr.write(`${line}\n`));
  } catch (err) {
    if (err instanceof ServiceStepError) throw new CliError(`${err.message} (step: ${err.step.description})`, EXIT.failure, { cause: err });
    throw err;
  }
}

function requireAdmin(config: ConfigOf<'install' | 'uninstall'>, verb: string): void {
  // On Windows schtasks itself refuses a non-administrator, with its own message.
  if (config.platform === 'linux' && !config.isRoot && !config.dryRun) {
    throw new CliError(`${verb} changes systemd's configuration: run it as root (sudo zhengban-agent ${verb})`, EXIT.usage);
  }
}

/**
 * `install [--dry-run]`: start the agent at boot as root/SYSTEM and restart it after a crash
 * (systemd unit on Linux, a SYSTEM scheduled task on Windows; see agent/src/service/README.md).
 */
export async function installCommand(config: ConfigOf<'install'>, out: Output): Promise<number> {
  requireAdmin(config, 'install');
  if (!config.credentials) {
    const message = `not enrolled (no credentials in ${config.stateDir}): run "zhengban-agent enroll --server URL --token TOKEN --state-dir ${config.stateDir}" first, or the service would only fail and restart`;
    if (!config.dryRun) throw new CliError(message, EXIT.notEnrolled);
    out.stderr.write(`warning: ${message}\n`);
  }
  const plan = await planInstall(config);
  await carryOut(plan, config.dryRun, out);
  if (!config.dryRun) {
    out.stdout.write(
      config.platform === 'windows'
        ? `installed: scheduled task "${WINDOWS_TASK_NAME}" runs the agent as SYSTEM at boot and restarts it; check with "zhengban-agent status"\n`
        : `installed: ${SYSTEMD_UNIT_NAME} runs the agent as root at boot and restarts it; check with "systemctl status ${SYSTEMD_UNIT_NAME}" and "zhengban-agent status"\n`,
    );
  }
  return EXIT.ok;
}

/** `uninstall [--dry-run]`: stop the agent and remove it from boot. Credentials and outbox stay. */
export async function uninstallCommand(config: ConfigOf<'uninstall'>, out: Output): Promise<number> {
  requireAdmin(config, 'uninstall');
  const plan = config.platform === 'windows' ? planWindowsUninstall(config.systemRoot) : planSystemdUninstall();
  await carryOut(plan, config.dryRun, out);
  if (!config.dryRun) out.stdout.write(`uninstalled; ${config.stateDir} is kept (delete it to forget this machine's enrolment)\n`);
  return EXIT.ok;
}
