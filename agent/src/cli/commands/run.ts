import { join } from 'node:path';
import { watchSoftwareChanges } from '../../capture/index.ts';
import { readCredentials } from '../../state/credentials.ts';
import { StateLockedError, lockStateDir } from '../../state/lock.ts';
import { STATE_FILES } from '../../state/paths.ts';
import { AgentTransport, type AgentTransportOptions } from '../../transport/connection.ts';
import { deliverOutboxOnce } from '../../transport/deliver-once.ts';
import type { Logger } from '../../transport/logger.ts';
import { Outbox } from '../../transport/outbox.ts';
import { AGENT_VERSION } from '../../version.ts';
import type { ConfigOf } from '../config.ts';
import { CliError, EXIT } from '../errors.ts';
import { createCliLogger } from '../log.ts';
import type { Output } from '../output.ts';
import { ScanScheduler } from '../scan-scheduler.ts';
import { scanInventory } from '../scan-source.ts';
import { StatusTracker } from '../status-tracker.ts';

/** `run [--once]`: the agent itself. */
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

    const scanAndQueue = async (): Promise<void> => {
      const result = await scanInventory({ evidence: config.run.evidence, platform: config.platform === 'windows' ? 'win32' : 'linux' });
      const entry = await outbox.queueInventory(result.inventory, { full: outbox.needsFullReport(config.run.fullIntervalMs), evidenceSha256: result.evidenceSha256 });
      if (entry) {
        const what = entry.frame.type === 'inventory.full'
          ? `full report (${result.inventory.software.length} software entries)`
          : `delta (+${entry.frame.delta.software.upserted.length} -${entry.frame.delta.software.removed.length} software)`;
        log.info(`queued ${what} as report ${entry.seq}; ${outbox.length} waiting`);
      } else {
        log.debug('scan found no change');
      }
      tracker.save();
      transport?.flush();
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
    const scheduler = new ScanScheduler(() => scanAndQueue().catch((err) => log.error((err as Error).message)));
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
    stopWatching();
    await scheduler.idle();
    await transport.stop();
    await tracker.flush();
    return EXIT.ok;
  } finally {
    await release();
  }
}

async function runOnce(
  config: ConfigOf<'run'>,
  out: Output,
  scanAndQueue: () => Promise<void>,
  transportOptions: AgentTransportOptions,
  tracker: StatusTracker,
): Promise<number> {
  await scanAndQueue();
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
