import { join } from 'node:path';
import { watchSoftwareChanges } from '../../capture/watch.ts';
import { agentCommandLine } from '../../service/launch.ts';
import { readCredentials } from '../../state/credentials.ts';
import { StateLockedError, lockStateDir } from '../../state/lock.ts';
import { STATE_FILES } from '../../state/paths.ts';
import { AgentTransport, type AgentTransportOptions } from '../../transport/connection.ts';
import { deliverOutboxOnce } from '../../transport/deliver-once.ts';
import type { Logger } from '../../transport/logger.ts';
import { Outbox } from '../../transport/outbox.ts';
import { AGENT_VERSION } from '../../version.ts';
import type { ConfigOf } from '../config.ts';
import { CliError, EXIT, type ExitCode } from '../errors.ts';
import { createCliLogger } from '../log.ts';
import type { Output } from '../output.ts';
import { type ScanOutcome, type ScanRunner, childProcessScanRunner, inProcessScanRunner } from '../scan-process.ts';
import { ScanReporter } from '../scan-reporter.ts';
import { ScanScheduler } from '../scan-scheduler.ts';
import { StatusTracker } from '../status-tracker.ts';

/** After a failed scan, try again this soon (or at the next --interval, when that is sooner). */
export const SCAN_RETRY_MS = 5 * 60_000;

/**
 * `run [--once]`: the agent itself. This process holds the connection, the outbox and the change
 * watch; every scan runs in a short-lived process of its own (see scan-process.ts).
 */
export async function runCommand(config: ConfigOf<'run'>, out: Output): Promise<number> {
  if (!config.credentials) throw new CliError(`not enrolled (no credentials in ${config.stateDir}); run "zhengban-agent enroll --server URL --token TOKEN" first`, EXIT.notEnrolled);
  const log = createCliLogger(out.stderr, config.debug);
  let release: () => Promise<void>;
  try {
    release = await lockStateDir(config.stateDir);
  } catch (err) {
    if (err instanceof StateLockedError) throw new CliError(err.message, EXIT.busy);
    throw err;
  }
  try {
    const outbox = await Outbox.open(join(config.stateDir, STATE_FILES.outbox), { onWarning: (m) => log.warn(m) });
    const tracker = new StatusTracker(config.stateDir, log, () => outbox.length);
    let transport: AgentTransport | null = null;

    const stopScans = new AbortController();
    const reporter = new ScanReporter({ scan: scanRunnerFor(config), outbox, log, fullIntervalMs: config.run.fullIntervalMs, reportFailures: !config.run.once });
    const scanAndQueue = async () => {
      const outcome = await reporter.scanAndQueue(stopScans.signal);
      tracker.onScan(outcome.ok ? { ok: true } : { ok: false, error: outcome.message });
      transport?.flush();
      return outcome;
    };

    const transportOptions: AgentTransportOptions = {
      credentials: async () => {
        const credentials = await readCredentials(config.stateDir);
        if (!credentials) throw new Error(`credentials disappeared from ${config.stateDir}; enrol again`);
        return credentials;
      },
      hello: { agentVersion: AGENT_VERSION, platform: config.platform, hostname: config.hostname },
      outbox,
      log,
      onEvent: (event) => tracker.onTransportEvent(event),
    };

    if (config.run.once) return await runOnce(config, out, scanAndQueue, transportOptions, tracker);
    let retry: NodeJS.Timeout | undefined;
    const scheduler = new ScanScheduler(async () => {
      try {
        const outcome = await scanAndQueue();
        // A failed scan is tried again soon rather than only at the next interval.
        if (!outcome.ok && !outcome.aborted && !retry) {
          retry = setTimeout(() => {
            retry = undefined;
            scheduler.request();
          }, Math.min(SCAN_RETRY_MS, config.run.intervalMs));
        }
      } catch (err) {
        // The outbox could not be written (disk full, permissions): said once here; the next scan tries again.
        log.error((err as Error).message);
      }
    });
    transport = new AgentTransport({
      ...transportOptions,
      onEvent: (event) => {
        tracker.onTransportEvent(event);
        logTransportEvent(log, event);
        if (event.type === 'scan-requested') scheduler.request();
      },
    });
    log.info(`zhengban-agent ${AGENT_VERSION} reporting to ${config.credentials.serverUrl} as agent ${config.credentials.agentId}; state in ${config.stateDir}`);
    // Scan before connecting, so the first thing the server gets is today's inventory.
    scheduler.request();
    await scheduler.idle();
    transport.start();
    const interval = setInterval(() => scheduler.request(), config.run.intervalMs);
    const platform = config.platform === 'windows' ? 'win32' : 'linux';
    const stopWatching = config.run.watch && !config.run.evidence
      ? watchSoftwareChanges(() => scheduler.request(), platform, { windowsCheckIntervalMs: config.run.checkIntervalMs })
      : () => {};
    const signal = await waitForShutdownSignal();
    log.info(`${signal}: stopping`);
    clearInterval(interval);
    clearTimeout(retry);
    stopWatching();
    stopScans.abort();
    await scheduler.idle();
    await transport.stop();
    await tracker.flush();
    return EXIT.ok;
  } finally {
    await release();
  }
}

/**
 * Scans in a process of this same program when main.ts said how to start it; a caller of runCli
 * without that (a library user) scans in this process.
 */
function scanRunnerFor(config: ConfigOf<'run'>): ScanRunner {
  const platform = config.platform === 'windows' ? 'win32' : 'linux';
  if (!config.launch) return inProcessScanRunner({ evidence: config.run.evidence, platform });
  const resultPath = join(config.stateDir, STATE_FILES.scanResult);
  const args = ['internal-scan', '--out', resultPath, '--state-dir', config.stateDir];
  if (config.run.evidence) args.push('--evidence', config.run.evidence);
  if (config.debug) args.push('--debug');
  return childProcessScanRunner({ ...agentCommandLine(config.launch, args), cwd: config.launch.cwd, resultPath, timeoutMs: config.run.scanTimeoutMs });
}

async function runOnce(
  config: ConfigOf<'run'>,
  out: Output,
  scanAndQueue: () => Promise<ScanOutcome>,
  transportOptions: AgentTransportOptions,
  tracker: StatusTracker,
): Promise<number> {
  const scan = await scanAndQueue();
  // Nothing is delivered after a failed scan: the caller sees why at once (exit 6 for evidence).
  if (!scan.ok) {
    await tracker.flush();
    throw new CliError(scan.message, scan.exitCode as ExitCode);
  }
  const result = await deliverOutboxOnce(transportOptions, config.run.timeoutMs);
  await tracker.flush();
  if (result.ok) {
    out.stdout.write(`delivered: ${result.acked} report(s) acknowledged by ${config.credentials!.serverUrl}\n`);
    return EXIT.ok;
  }
  throw new CliError(result.message, result.refused ? EXIT.refused : EXIT.unreachable);
}

function logTransportEvent(log: Logger, event: Parameters<NonNullable<AgentTransportOptions['onEvent']>>[0]): void {
  if (event.type === 'state' && event.state === 'connected') log.info('connected');
  if (event.type === 'state' && event.state === 'disconnected') log.warn(`disconnected: ${event.detail ?? ''}`);
  if (event.type === 'welcome' && (event.dropped > 0 || event.fullQueued)) {
    log.info(`server has reports up to ${event.lastSeq}: ${event.dropped} already delivered${event.fullQueued ? '; its inventory differs, sending a full report' : ''}`);
  }
  if (event.type === 'ack') log.debug(`report ${event.seq} ${event.result}`);
}

function waitForShutdownSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
