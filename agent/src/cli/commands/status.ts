import { join } from 'node:path';
import { isProcessAlive, readLockHolder } from '../../state/lock.ts';
import { STATE_FILES } from '../../state/paths.ts';
import { readAgentStatus } from '../../state/status-file.ts';
import { countStoredReports } from '../../transport/outbox-files.ts';
import type { ConfigOf } from '../config.ts';
import { EXIT } from '../errors.ts';
import type { Output } from '../output.ts';

/** `status`: what the state directory and a running agent say. Exit 3 when not enrolled. */
export async function statusCommand(config: ConfigOf<'status'>, out: Output): Promise<number> {
  const credentials = config.credentials;
  const status = await readAgentStatus(config.stateDir);
  const holder = await readLockHolder(config.stateDir);
  const running = holder !== null && isProcessAlive(holder) && status?.pid === holder;
  const outboxLength = await countStoredReports(join(config.stateDir, STATE_FILES.outbox));

  const report = {
    stateDir: config.stateDir,
    enrolled: credentials !== null,
    server: credentials?.serverUrl ?? null,
    agentId: credentials?.agentId ?? null,
    running,
    pid: running ? holder : null,
    connection: running ? status!.connection : 'not running',
    connectionDetail: running ? (status!.connectionDetail ?? null) : null,
    lastSeenAt: status?.updatedAt ?? null,
    lastReport: status?.lastReport ?? null,
    lastAck: status?.lastAck ?? null,
    lastScan: status?.lastScan ?? null,
    outboxLength,
  };
  if (config.json) {
    out.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return credentials ? EXIT.ok : EXIT.notEnrolled;
  }
  const lines = [
    `state dir:   ${report.stateDir}`,
    credentials ? `enrolled:    yes, agent ${credentials.agentId} at ${credentials.serverUrl}` : 'enrolled:    no (zhengban-agent enroll --server URL --token TOKEN)',
    running
      ? `agent:       running (pid ${holder}) since ${status!.startedAt}`
      : `agent:       not running${status ? ` (last seen ${status.updatedAt})` : ''}`,
    `connection:  ${report.connection}${report.connectionDetail ? ` — ${report.connectionDetail}` : ''}`,
    `last report: ${report.lastReport ? `seq ${report.lastReport.seq} (${report.lastReport.kind}) at ${report.lastReport.at}` : 'none'}`,
    `last ack:    ${report.lastAck ? `seq ${report.lastAck.seq} ${report.lastAck.result} at ${report.lastAck.at}` : 'none'}`,
    `last scan:   ${report.lastScan ? `${report.lastScan.ok ? 'ok' : `failed (${report.lastScan.error ?? 'no reason given'})`} at ${report.lastScan.at}` : 'none'}`,
    `outbox:      ${outboxLength} report(s) waiting for an ack`,
  ];
  out.stdout.write(`${lines.join('\n')}\n`);
  return credentials ? EXIT.ok : EXIT.notEnrolled;
}
