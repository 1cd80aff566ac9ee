import { applyInventoryDelta, MessageType, type Inventory, type InventoryDeltaMessage, type InventoryFullMessage } from '@zhengban/protocol';
import { inventoryHash } from '@zhengban/protocol/hash';
import type { Db } from '../db/database.ts';
import { lockAgents, readMachines, writeBatch, type AppliedReport, type LockedAgent, type MachineState } from './batch-queries.ts';
import type { IngestOutcome } from './outcome.ts';
import type { StoredInventory } from './queries.ts';
import { diffSoftwareRows, softwareFromRows, type SoftwareRow, type SoftwareRowChanges } from './software-rows.ts';

/**
 * Group commit: several agents' reports applied in ONE transaction with combined statements. Each
 * report keeps its own checks (revocation, sequence number, delta base and result hash) and its
 * own exactly-once record; what is shared is the transaction and the round trips. One report per
 * agent per batch (the pipeline holds back an agent's next report until its previous one is done).
 */

export type AgentReport = InventoryFullMessage | InventoryDeltaMessage;

export interface PendingReport {
  agentId: string;
  message: AgentReport;
}

const revoked = (seq: number): IngestOutcome => ({
  seq,
  result: 'rejected',
  reason: 'agent revoked',
  error: { code: 'agent.revoked', message: 'this agent was revoked; enrol again' },
});

/**
 * What can be said of a report before touching the database: a full report whose hash does not
 * match its inventory is rejected here, outside any transaction (hashing 20,000 entries should not
 * hold locks). `computedHash`: the inventory's hash if already computed (by the frame parser).
 * Null when the report may go on.
 */
export function precheckReport(message: AgentReport, computedHash?: string): IngestOutcome | null {
  if (message.type !== MessageType.InventoryFull) return null;
  const computed = computedHash ?? inventoryHash(message.inventory);
  if (computed === message.hash) return null;
  const text = `hash ${message.hash} does not match the inventory (server computed ${computed})`;
  return { seq: message.seq, result: 'rejected', reason: text, error: { code: 'inventory.hash-mismatch', message: text } };
}

/** A report that changes its machine's inventory, with what to write. */
interface InventoryWrite {
  index: number;
  agent: LockedAgent;
  message: AgentReport;
  inventory: Inventory;
  hash: string;
  changes: SoftwareRowChanges;
  /** Rows the machine has once the changes are written (one per key). */
  softwareCount: number;
}

/**
 * Applies a batch of prechecked reports (distinct agents) in one transaction and returns one
 * outcome per report, in order. Reports that change a machine's inventory name it in
 * `changedMachineId` (its compliance is refreshed after the commit). Three statements whatever the
 * batch's size: lock the agents, read their machines, write everything (batch-queries.ts).
 */
export async function applyReportBatch(db: Db, reports: readonly PendingReport[]): Promise<IngestOutcome[]> {
  if (new Set(reports.map((r) => r.agentId)).size !== reports.length) throw new Error('a batch holds at most one report per agent');
  if (reports.length === 0) return [];
  return db.transaction(async (tx) => {
    const locked = await lockAgents(tx, reports.map((r) => r.agentId));
    const outcomes: IngestOutcome[] = new Array(reports.length);
    const live: Array<{ index: number; agent: LockedAgent; message: AgentReport }> = [];
    reports.forEach(({ agentId, message }, index) => {
      const agent = locked.get(agentId);
      if (!agent || agent.revoked) outcomes[index] = revoked(message.seq);
      else if (message.seq <= agent.lastSeq) outcomes[index] = { seq: message.seq, result: 'duplicate' };
      else live.push({ index, agent, message });
    });
    // Two agents of one machine would write its rows twice in one statement; enrolment revokes a
    // machine's other agents, so this does not happen, and if it did the pipeline retries alone.
    if (new Set(live.map((r) => r.agent.machineId)).size !== live.length) throw new Error('two reports for one machine in a batch');

    const machines = await readMachines(
      tx,
      live.map(({ agent, message }) => ({
        machineId: agent.machineId,
        kind: message.type === MessageType.InventoryFull ? 'full' : 'delta',
        hash: message.type === MessageType.InventoryFull ? message.hash : message.baseHash,
      })),
    );
    const writes: InventoryWrite[] = [];
    const touches: Array<{ index: number; agent: LockedAgent; message: InventoryFullMessage }> = [];
    for (const { index, agent, message } of live) {
      const machine = machines.get(agent.machineId);
      if (!machine) throw new Error(`machine ${agent.machineId} of agent ${agent.agentId} is gone`);
      const planned = plan(agent, machine, message);
      if (planned === 'touch') touches.push({ index, agent, message: message as InventoryFullMessage });
      else if ('result' in planned) outcomes[index] = planned;
      else writes.push({ index, agent, message, ...planned });
    }

    const records: AppliedReport[] = [];
    for (const { index, agent, message, hash, changes } of writes) {
      const rowsUpserted = changes.inserts.length + changes.updates.length;
      const rowsRemoved = changes.deletes.length;
      const baseHash = message.type === MessageType.InventoryDelta ? message.baseHash : null;
      records.push({ agentId: agent.agentId, machineId: agent.machineId, seq: message.seq, kind: kindOf(message), hash, baseHash, rowsUpserted, rowsRemoved });
      outcomes[index] = { seq: message.seq, result: 'applied', rowsUpserted, rowsRemoved, changedMachineId: agent.machineId };
    }
    for (const { index, agent, message } of touches) {
      records.push({ agentId: agent.agentId, machineId: agent.machineId, seq: message.seq, kind: 'full', hash: message.hash, baseHash: null, rowsUpserted: 0, rowsRemoved: 0 });
      outcomes[index] = { seq: message.seq, result: 'applied', rowsUpserted: 0, rowsRemoved: 0 };
    }
    await writeBatch(tx, {
      saves: writes.map((w) => ({
        machineId: w.agent.machineId,
        inventory: w.inventory,
        hash: w.hash,
        evidenceSha256: w.message.type === MessageType.InventoryFull ? w.message.evidenceSha256 : undefined,
        softwareCount: w.softwareCount,
      })),
      touches: touches.map((t) => ({ machineId: t.agent.machineId, collectedAt: t.message.inventory.collectedAt })),
      deletes: writes.flatMap((w) => w.changes.deletes.map((key) => ({ machineId: w.agent.machineId, key }))),
      updates: writes.map((w) => ({ machineId: w.agent.machineId, rows: w.changes.updates })),
      inserts: writes.map((w) => ({ machineId: w.agent.machineId, rows: w.changes.inserts })),
      records,
    });
    return outcomes;
  });
}

/**
 * What a live report does to its machine: nothing but mark it seen (a full report equal to the
 * stored inventory), a rejection (a delta on another base, or whose result is not what the agent
 * announced), or a new inventory with the row changes that store it.
 */
function plan(agent: LockedAgent, machine: MachineState, message: AgentReport): 'touch' | IngestOutcome | Omit<InventoryWrite, 'index' | 'agent' | 'message'> {
  if (message.type === MessageType.InventoryFull) {
    if (machine.inventoryHash === message.hash) return 'touch';
    // Rows exist only once an inventory does: a machine's first report has none to diff against.
    const rows = machine.inventoryHash === null ? [] : storedRows(agent, machine);
    const changes = diffSoftwareRows(rows, message.inventory.software);
    return { inventory: message.inventory, hash: message.hash, changes, softwareCount: countAfter(rows, changes) };
  }
  if (!machine.inventory || machine.inventoryHash !== message.baseHash) {
    const reason = machine.inventoryHash
      ? `delta base ${message.baseHash} is not the server's inventory ${machine.inventoryHash}`
      : 'the server holds no inventory for this machine yet';
    return { seq: message.seq, result: 'rejected', reason, requestFull: reason };
  }
  return applyDelta(machine.inventory, storedRows(agent, machine), message);
}

function storedRows(agent: LockedAgent, machine: MachineState): SoftwareRow[] {
  if (!machine.rows) throw new Error(`the software rows of machine ${agent.machineId} were not read`);
  return machine.rows;
}

const kindOf = (message: AgentReport) => (message.type === MessageType.InventoryFull ? 'full' : 'delta');

/**
 * Applies a delta to the stored inventory (document plus the software list rebuilt from its rows)
 * and checks the result against the hash the agent announced; a mismatch is rejected and the
 * agent asked for a full report.
 */
function applyDelta(document: StoredInventory, rows: readonly SoftwareRow[], message: InventoryDeltaMessage): IngestOutcome | Omit<InventoryWrite, 'index' | 'agent' | 'message'> {
  const base: Inventory = { ...document, software: softwareFromRows(rows) };
  const next = applyInventoryDelta(base, message.delta);
  const computed = inventoryHash(next);
  if (computed !== message.hash) {
    const reason = `delta result hash ${computed} is not the announced ${message.hash}`;
    return { seq: message.seq, result: 'rejected', reason, requestFull: reason };
  }
  const changes = diffSoftwareRows(rows, next.software);
  return { inventory: next, hash: computed, changes, softwareCount: countAfter(rows, changes) };
}

const countAfter = (stored: readonly SoftwareRow[], changes: SoftwareRowChanges) => stored.length + changes.inserts.length - changes.deletes.length;
