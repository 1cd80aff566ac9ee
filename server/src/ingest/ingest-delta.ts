import type { InventoryDeltaMessage } from '@zhengban/protocol';
import type { Db } from '../db/database.ts';
import { refreshCompliance } from '../compliance/worker.ts';
import { applyReportBatch } from './batch.ts';
import type { ComplianceSink, IngestOutcome } from './outcome.ts';

/**
 * Applies one `inventory.delta` report in its own transaction. The delta must start from the
 * inventory the server holds (`baseHash`) and end at `hash`; otherwise nothing changes, the
 * report is rejected and the agent is asked for a full report. After the commit, the machine goes
 * to `compliance` (default: refreshed before this returns).
 */
export async function ingestDeltaReport(
  db: Db,
  agentId: string,
  message: InventoryDeltaMessage,
  compliance: ComplianceSink = (ids) => refreshCompliance(db, ids),
): Promise<IngestOutcome> {
  const [outcome] = await applyReportBatch(db, [{ agentId, message }]);
  if (outcome!.changedMachineId) await compliance([outcome!.changedMachineId]);
  return outcome!;
}
