import { applyInventoryDelta, type InventoryDeltaMessage } from '@zhengban/protocol';
import { inventoryHash } from '@zhengban/protocol/hash';
import type { Db } from '../db/database.ts';
import { refreshMachineCompliance } from '../compliance/recompute.ts';
import type { IngestOutcome } from './outcome.ts';
import {
  deleteSoftwareRows,
  lockAgentWithMachine,
  recordAppliedReport,
  saveMachineInventory,
  upsertSoftwareRows,
} from './queries.ts';
import { softwareChangesForDelta, softwareRowsByKey } from './software-rows.ts';

/**
 * Applies an `inventory.delta` report in one transaction. The delta must start from the
 * inventory the server holds (`baseHash`) and end at `hash`; otherwise nothing changes, the
 * report is rejected and the agent is asked for a full report.
 */
export async function ingestDeltaReport(db: Db, agentId: string, message: InventoryDeltaMessage): Promise<IngestOutcome> {
  const { seq } = message;
  return db.transaction(async (tx): Promise<IngestOutcome> => {
    const agent = await lockAgentWithMachine(tx, agentId, { withInventory: true });
    if (!agent || agent.revokedAt) {
      return { seq, result: 'rejected', reason: 'agent revoked', error: { code: 'agent.revoked', message: 'this agent was revoked; enrol again' } };
    }
    if (seq <= agent.lastSeq) return { seq, result: 'duplicate' };

    if (!agent.inventory || agent.inventoryHash !== message.baseHash) {
      const reason = agent.inventoryHash
        ? `delta base ${message.baseHash} is not the server's inventory ${agent.inventoryHash}`
        : 'the server holds no inventory for this machine yet';
      return { seq, result: 'rejected', reason, requestFull: reason };
    }

    const next = applyInventoryDelta(agent.inventory, message.delta);
    const computed = inventoryHash(next);
    if (computed !== message.hash) {
      const reason = `delta result hash ${computed} is not the announced ${message.hash}`;
      return { seq, result: 'rejected', reason, requestFull: reason };
    }

    const changes = softwareChangesForDelta(agent.inventory.software, message.delta);
    await deleteSoftwareRows(tx, agent.machineId, changes.deletes);
    await upsertSoftwareRows(tx, agent.machineId, changes.upserts);
    await saveMachineInventory(tx, agent.machineId, {
      inventory: next,
      hash: computed,
      softwareCount: softwareRowsByKey(next.software).size,
    });
    // Products, findings and the licence positions this change touches (issue #5); events go out on commit.
    await refreshMachineCompliance(tx, agent.machineId);
    await recordAppliedReport(tx, {
      agentId,
      machineId: agent.machineId,
      seq,
      kind: 'delta',
      hash: computed,
      baseHash: message.baseHash,
      rowsUpserted: changes.upserts.length,
      rowsRemoved: changes.deletes.length,
    });
    return { seq, result: 'applied', rowsUpserted: changes.upserts.length, rowsRemoved: changes.deletes.length };
  });
}
