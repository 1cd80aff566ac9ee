import type { InventoryFullMessage } from '@zhengban/protocol';
import type { Db } from '../db/database.ts';
import { refreshCompliance } from '../compliance/worker.ts';
import { applyReportBatch, precheckReport } from './batch.ts';
import type { ComplianceSink, IngestOutcome } from './outcome.ts';

/**
 * Applies one `inventory.full` report in its own transaction: the machine's software rows become
 * the report's list, writing only rows that differ. A re-sent report (seq already applied) writes
 * nothing; a report equal to the stored inventory writes no software rows. After the commit, a
 * changed machine goes to `compliance` (default: refreshed before this returns). The agent socket
 * goes through the pipeline instead (pipeline.ts), which applies the same batch function to many
 * reports at once.
 */
export async function ingestFullReport(
  db: Db,
  agentId: string,
  message: InventoryFullMessage,
  compliance: ComplianceSink = (ids) => refreshCompliance(db, ids),
): Promise<IngestOutcome> {
  const early = precheckReport(message);
  if (early) return early;
  const [outcome] = await applyReportBatch(db, [{ agentId, message }]);
  if (outcome!.changedMachineId) await compliance([outcome!.changedMachineId]);
  return outcome!;
}
