import type { InventoryFullMessage } from '@zhengban/protocol';
import { inventoryHash } from '@zhengban/protocol/hash';
import type { Db } from '../db/database.ts';
import { refreshMachineCompliance } from '../compliance/recompute.ts';
import type { IngestOutcome } from './outcome.ts';
import {
  deleteSoftwareRows,
  getSoftwareRows,
  lockAgentWithMachine,
  recordAppliedReport,
  saveMachineInventory,
  touchMachine,
  upsertSoftwareRows,
} from './queries.ts';
import { diffSoftwareRows, softwareRowsByKey } from './software-rows.ts';

/**
 * Applies an `inventory.full` report in one transaction: the machine's software rows become the
 * report's list, writing only rows that differ. A re-sent report (seq already applied) writes
 * nothing; a report equal to the stored inventory writes no software rows.
 */
export async function ingestFullReport(db: Db, agentId: string, message: InventoryFullMessage): Promise<IngestOutcome> {
  const { seq } = message;
  // Outside the transaction: hashing 20,000 entries should not hold the agent's lock.
  const computed = inventoryHash(message.inventory);
  if (computed !== message.hash) {
    const text = `hash ${message.hash} does not match the inventory (server computed ${computed})`;
    return { seq, result: 'rejected', reason: text, error: { code: 'inventory.hash-mismatch', message: text } };
  }

  return db.transaction(async (tx): Promise<IngestOutcome> => {
    const agent = await lockAgentWithMachine(tx, agentId, { withInventory: false });
    if (!agent || agent.revokedAt) {
      return { seq, result: 'rejected', reason: 'agent revoked', error: { code: 'agent.revoked', message: 'this agent was revoked; enrol again' } };
    }
    if (seq <= agent.lastSeq) return { seq, result: 'duplicate' };

    let rowsUpserted = 0;
    let rowsRemoved = 0;
    if (agent.inventoryHash === message.hash) {
      await touchMachine(tx, agent.machineId, message.inventory.collectedAt);
    } else {
      // Rows are written only together with an inventory: no inventory yet, no rows to read.
      const stored = agent.inventoryHash === null ? [] : await getSoftwareRows(tx, agent.machineId);
      const changes = diffSoftwareRows(stored, message.inventory.software);
      await deleteSoftwareRows(tx, agent.machineId, changes.deletes);
      await upsertSoftwareRows(tx, agent.machineId, changes.upserts);
      await saveMachineInventory(tx, agent.machineId, {
        inventory: message.inventory,
        hash: message.hash,
        evidenceSha256: message.evidenceSha256,
        softwareCount: softwareRowsByKey(message.inventory.software).size,
      });
      // Products, findings and the licence positions this change touches (issue #5); events go out on commit.
      await refreshMachineCompliance(tx, agent.machineId);
      rowsUpserted = changes.upserts.length;
      rowsRemoved = changes.deletes.length;
    }
    await recordAppliedReport(tx, {
      agentId,
      machineId: agent.machineId,
      seq,
      kind: 'full',
      hash: message.hash,
      rowsUpserted,
      rowsRemoved,
    });
    return { seq, result: 'applied', rowsUpserted, rowsRemoved };
  });
}
