import t from 'tap';
import { softwareKey, type Inventory, type Software } from '@zhengban/protocol';
import { inventoryHash } from '@zhengban/protocol/hash';
import { buildTestApp } from '../../helpers/db.ts';
import { AgentSocket, enrollAgent } from '../helpers/agent-client.ts';
import { debianInventory, deltaReport, dpkg, fullReport } from '../helpers/inventory.ts';
import { machineState, rowsAsSoftware } from '../helpers/machine-state.ts';

const testApp = await buildTestApp({ listen: true });
t.teardown(testApp.close);

const v1 = debianInventory([dpkg('bash', '5.2.15-2+b2'), dpkg('curl', '7.88.1-10'), dpkg('vim', '2:9.0.1378-2')]);
const credentials = await enrollAgent(testApp.baseUrl, testApp.seeded.startupToken, { hardware: v1.hardware });
const agent = await AgentSocket.connect(testApp.wsUrl, credentials);
t.teardown(() => agent.close());

const state = () => machineState(testApp.database, credentials.agentId);
/** The inventory the server holds: the document on the machine row plus the software list of its rows. */
async function storedInventory(): Promise<Inventory> {
  const current = await state();
  const [row] = await testApp.database.query<{ inventory: Omit<Inventory, 'software'> }>('SELECT inventory FROM machines WHERE id = $1', [current.machineId]);
  return { ...row!.inventory, software: rowsAsSoftware(current.rows) as Software[] };
}
const sortByKey = (software: Software[]) => [...software].sort((a, b) => (softwareKey(a) < softwareKey(b) ? -1 : 1));
const withCollectedAt = (inventory: Inventory, minutes: number): Inventory => ({
  ...inventory,
  collectedAt: new Date(Date.parse('2026-11-28T10:00:00Z') + minutes * 60_000).toISOString(),
});

t.test('a delta before any full report is rejected and the server asks for a full report', async (t) => {
  const next = debianInventory([dpkg('bash', '5.2.15-2+b2')]);
  agent.sendJson(deltaReport(1, v1, next));
  const [ack, command] = await agent.nextFrames(2);
  t.match(ack, { type: 'inventory.ack', seq: 1, result: 'rejected', reason: /holds no inventory/ });
  t.match(command, { type: 'server.command', command: 'inventory.full' });
  t.equal((await state()).lastSeq, 0, 'nothing was applied');
});

t.test('a full report is stored: the software rows equal the report and the agent gets "applied"', async (t) => {
  agent.sendJson(fullReport(1, v1));
  t.match(await agent.next(), { type: 'inventory.ack', seq: 1, result: 'applied' });
  const after = await state();
  t.same(rowsAsSoftware(after.rows), sortByKey(v1.software));
  t.equal(after.softwareCount, 3);
  t.equal(after.inventoryHash, inventoryHash(v1));
  t.equal(after.lastSeq, 1);
  t.same(after.reports, [{ seq: 1, kind: 'full', rows_upserted: 3, rows_removed: 0 }]);
  const [row] = await testApp.database.query<{ inventory: Record<string, unknown> }>('SELECT inventory FROM machines WHERE id = $1', [after.machineId]);
  t.notOk('software' in row!.inventory, 'the software list is stored once, as rows, not again in the document');
  t.equal(inventoryHash(await storedInventory()), inventoryHash(v1), 'document and rows together are the inventory the agent sent');
});

t.test('a re-sent report (same seq) is acked "duplicate" and changes nothing, even with other content', async (t) => {
  const before = await state();
  agent.sendJson(fullReport(1, debianInventory([dpkg('nano', '7.2-1')])));
  t.match(await agent.next(), { type: 'inventory.ack', seq: 1, result: 'duplicate' });
  t.same(await state(), before);
});

t.test('an unchanged full report with a new seq rewrites no software rows', async (t) => {
  const before = await state();
  // A rescan: new collection time, packages listed in another order, same content.
  agent.sendJson(fullReport(2, { ...withCollectedAt(v1, 60), software: [...v1.software].reverse() }));
  t.match(await agent.next(), { type: 'inventory.ack', seq: 2, result: 'applied' });
  const after = await state();
  t.same(after.rows, before.rows, 'every row keeps its xmin: none was rewritten');
  t.equal(after.lastSeq, 2);
  t.same(after.reports.at(-1), { seq: 2, kind: 'full', rows_upserted: 0, rows_removed: 0 });
});

t.test('a changed full report writes only the rows that changed', async (t) => {
  const before = await state();
  const v2 = withCollectedAt(debianInventory([dpkg('bash', '5.2.15-2+b3'), dpkg('curl', '7.88.1-10'), dpkg('git', '1:2.39.5-0')]), 120);
  agent.sendJson(fullReport(3, v2));
  t.match(await agent.next(), { type: 'inventory.ack', seq: 3, result: 'applied' });
  const after = await state();
  t.same(rowsAsSoftware(after.rows), sortByKey(v2.software));
  const xminOf = (rows: typeof before.rows, key: string) => rows.find((r) => r.key === key)?.xmin;
  t.equal(xminOf(after.rows, 'dpkg||curl:amd64'), xminOf(before.rows, 'dpkg||curl:amd64'), 'the unchanged package was not rewritten');
  t.not(xminOf(after.rows, 'dpkg||bash:amd64'), xminOf(before.rows, 'dpkg||bash:amd64'), 'the upgraded package was');
  t.same(after.reports.at(-1), { seq: 3, kind: 'full', rows_upserted: 2, rows_removed: 1 });
  t.equal(after.softwareCount, 3);
});

t.test('a delta is applied: one install and one removal reach the rows, and the hash follows', async (t) => {
  const current = await storedInventory();
  const next = withCollectedAt({ ...current, software: [...current.software.filter((s) => s.name !== 'git'), dpkg('htop', '3.2.2-2')] }, 180);
  agent.sendJson(deltaReport(4, current, next));
  t.match(await agent.next(), { type: 'inventory.ack', seq: 4, result: 'applied' });
  const after = await state();
  t.same(rowsAsSoftware(after.rows), sortByKey(next.software));
  t.equal(after.inventoryHash, inventoryHash(next));
  t.same(after.reports.at(-1), { seq: 4, kind: 'delta', rows_upserted: 1, rows_removed: 1 });
});

t.test('a delta against a stale base is rejected, changes nothing, and the server asks for a full report', async (t) => {
  const before = await state();
  const next = debianInventory([...v1.software, dpkg('tmux', '3.3a-3')]);
  agent.sendJson(deltaReport(5, v1, next));
  const [ack, command] = await agent.nextFrames(2);
  t.match(ack, { type: 'inventory.ack', seq: 5, result: 'rejected', reason: /is not the server's inventory/ });
  t.match(command, { type: 'server.command', command: 'inventory.full' });
  t.same(await state(), before);
});

t.test('a delta whose result does not match its announced hash is rejected and the server asks for a full report', async (t) => {
  const before = await state();
  const current = await storedInventory();
  const report = deltaReport(6, current, { ...current, software: [...current.software, dpkg('zsh', '5.9-4')] });
  report.hash = inventoryHash(v1);
  agent.sendJson(report);
  const [ack, command] = await agent.nextFrames(2);
  t.match(ack, { type: 'inventory.ack', seq: 6, result: 'rejected', reason: /is not the announced/ });
  t.match(command, { type: 'server.command', command: 'inventory.full' });
  t.same(await state(), before);
});

t.test('a full report whose hash does not match its inventory gets inventory.hash-mismatch and is rejected', async (t) => {
  const before = await state();
  const report = fullReport(7, debianInventory([dpkg('nano', '7.2-1')]));
  report.hash = inventoryHash(v1);
  agent.sendJson(report);
  const [error, ack] = await agent.nextFrames(2);
  t.match(error, { type: 'error', code: 'inventory.hash-mismatch', seq: 7 });
  t.match(ack, { type: 'inventory.ack', seq: 7, result: 'rejected' });
  t.same(await state(), before);
});

t.test('after a reconnect, server.welcome tells the agent its last applied seq and the inventory hash', async (t) => {
  const current = await state();
  const again = await AgentSocket.connect(testApp.wsUrl, credentials);
  t.teardown(() => again.close());
  t.match(again.received[0], { type: 'server.welcome', agentId: credentials.agentId, lastSeq: 4, inventoryHash: current.inventoryHash });
  t.match(await agent.closed, { code: 4000 }, 'the older connection of the same agent is replaced');
});

t.test('a report that lacks hardware values keeps the stored ones (an agent without root cannot read the serial)', async (t) => {
  const again = await AgentSocket.connect(testApp.wsUrl, credentials);
  t.teardown(() => again.close());
  const { uuid: _uuid, serial: _serial, ...withoutIds } = v1.hardware;
  const seq = (await state()).lastSeq + 1;
  again.sendJson(fullReport(seq, { ...v1, hardware: withoutIds }));
  t.match(await again.next(), { type: 'inventory.ack', seq, result: 'applied' });
  const [machine] = await testApp.database.query<{ hardware_uuid: string; hardware_serial: string }>(
    'SELECT hardware_uuid, hardware_serial FROM machines WHERE id = $1',
    [(await state()).machineId],
  );
  t.same(machine, { hardware_uuid: v1.hardware.uuid, hardware_serial: v1.hardware.serial });
});

t.test('an agent revoked while connected gets agent.revoked for its next report and the socket closes', async (t) => {
  const again = await AgentSocket.connect(testApp.wsUrl, credentials);
  const before = await state();
  await testApp.database.query('UPDATE agents SET revoked_at = now() WHERE id = $1', [credentials.agentId]);
  again.sendJson(fullReport(before.lastSeq + 1, v1));
  const [error, ack] = await again.nextFrames(2);
  t.match(error, { type: 'error', code: 'agent.revoked', message: /enrol again/ });
  t.match(ack, { type: 'inventory.ack', result: 'rejected' });
  t.match(await again.closed, { code: 1008 });
  t.same(await state(), before);
});
