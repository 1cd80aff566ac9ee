import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { inventoryHash } from '@zhengban/protocol/hash';
import { Outbox } from '../../../agent/src/transport/outbox.ts';
import { reportFileName } from '../../../agent/src/transport/outbox-files.ts';
import { inventoryWith } from './inventories.ts';

async function tempDir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zhengban-outbox-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const v1 = inventoryWith(['bash@5.2', 'curl@7.88']);
const v2 = inventoryWith(['bash@5.2', 'curl@7.88', 'vim@9.0'], '2026-11-28T10:05:00Z');
const v3 = inventoryWith(['bash@5.2', 'vim@9.0'], '2026-11-28T10:10:00Z');

t.test('the first report is full, later ones are deltas chained on the one before', async (t) => {
  const outbox = await Outbox.open(await tempDir(t));
  const first = await outbox.queueInventory(v1);
  const second = await outbox.queueInventory(v2);
  const third = await outbox.queueInventory(v3);
  t.equal(first?.frame.type, 'inventory.full');
  t.equal(second?.frame.type, 'inventory.delta');
  t.equal(third?.frame.type, 'inventory.delta');
  if (second?.frame.type !== 'inventory.delta' || third?.frame.type !== 'inventory.delta') return;
  t.equal(second.frame.baseHash, inventoryHash(v1), 'delta 2 applies to report 1');
  t.equal(third.frame.baseHash, inventoryHash(v2), 'delta 3 applies to delta 2, not to the last acknowledged inventory');
  t.same(third.frame.delta.software.removed, ['dpkg||curl:amd64']);
  t.same(outbox.pending().map((e) => e.seq), [1, 2, 3]);
});

t.test('a rescan that finds nothing new queues nothing', async (t) => {
  const outbox = await Outbox.open(await tempDir(t));
  await outbox.queueInventory(v1);
  t.equal(await outbox.queueInventory({ ...v1, collectedAt: '2026-11-29T00:00:00Z' }), null);
  t.equal(outbox.length, 1);
});

t.test('unacknowledged reports survive a restart, in seq order, and the next seq continues', async (t) => {
  const dir = await tempDir(t);
  const before = await Outbox.open(dir);
  await before.queueInventory(v1);
  await before.queueInventory(v2);
  await before.queueInventory(v3);

  const after = await Outbox.open(dir);
  t.same(after.pending().map((e) => [e.seq, e.frame.type]), [[1, 'inventory.full'], [2, 'inventory.delta'], [3, 'inventory.delta']]);
  t.equal(after.latest?.hash, inventoryHash(v3), 'the newest inventory is known again');
  const next = await after.queueInventory(inventoryWith(['zsh@5.9']));
  t.equal(next?.seq, 4);
  t.equal(next?.frame.type === 'inventory.delta' && next.frame.baseHash, inventoryHash(v3), 'new deltas chain on the restored ones');
});

t.test('a sequence number is never handed out twice, even when every report was acknowledged and removed', async (t) => {
  const dir = await tempDir(t);
  const outbox = await Outbox.open(dir);
  await outbox.queueInventory(v1);
  await outbox.queueInventory(v2);
  await outbox.acknowledge(1, 'applied');
  await outbox.acknowledge(2, 'applied');
  t.equal(outbox.length, 0);
  t.same((await readdir(dir)).sort(), ['base.json', 'seq.json'], 'only the counter and the acknowledged base are left');

  const reopened = await Outbox.open(dir);
  t.equal((await reopened.queueInventory(v3))?.seq, 3);
});

t.test('a crash after taking a seq but before writing the report does not reuse that seq', async (t) => {
  const dir = await tempDir(t);
  const outbox = await Outbox.open(dir);
  await outbox.queueInventory(v1);
  await outbox.queueInventory(v2);
  // What the disk looks like when the process died between the counter write and the report write.
  await rm(join(dir, reportFileName(2)));
  const reopened = await Outbox.open(dir);
  t.same(reopened.pending().map((e) => e.seq), [1]);
  t.equal((await reopened.queueInventory(v3))?.seq, 3, 'seq 2 stays burnt');
});

t.test('an acknowledged report becomes the base that the next delta is computed against', async (t) => {
  const dir = await tempDir(t);
  const outbox = await Outbox.open(dir);
  await outbox.queueInventory(v1);
  t.same(await outbox.acknowledge(1, 'applied'), { known: true, fullQueued: null });
  t.equal(outbox.base?.hash, inventoryHash(v1));

  const reopened = await Outbox.open(dir);
  t.equal(reopened.base?.hash, inventoryHash(v1), 'the base survives a restart');
  const delta = await reopened.queueInventory(v2);
  t.equal(delta?.frame.type, 'inventory.delta', 'a restarted agent sends a delta, not a full re-send');
  t.equal(delta?.frame.type === 'inventory.delta' && delta.frame.baseHash, inventoryHash(v1));
  t.same(await reopened.acknowledge(99, 'applied'), { known: false, fullQueued: null }, 'an ack for an unknown seq changes nothing');
});

t.test('a rejected delta gives way to one full report of the newest inventory', async (t) => {
  const outbox = await Outbox.open(await tempDir(t));
  await outbox.queueInventory(v1);
  await outbox.acknowledge(1, 'applied');
  await outbox.queueInventory(v2);
  await outbox.queueInventory(v3);
  const { fullQueued } = await outbox.acknowledge(2, 'rejected');
  t.equal(fullQueued?.frame.type, 'inventory.full');
  t.equal(fullQueued?.result.hash, inventoryHash(v3), 'the full report holds the newest scan');
  t.same(outbox.pending().map((e) => e.frame.type), ['inventory.full'], 'the queued delta that built on the rejected one is gone');
  t.equal((await outbox.requestFull())?.seq, fullQueued?.seq, 'asking for a full again while one waits adds nothing');
});

t.test('a rejected full report is dropped and not retried (it could never succeed)', async (t) => {
  const outbox = await Outbox.open(await tempDir(t));
  await outbox.queueInventory(v1);
  t.same(await outbox.acknowledge(1, 'rejected'), { known: true, fullQueued: null });
  t.equal(outbox.length, 0);
});

t.test('resuming after the welcome drops reports whose acks were lost and keeps the rest in order', async (t) => {
  const outbox = await Outbox.open(await tempDir(t));
  await outbox.queueInventory(v1);
  await outbox.queueInventory(v2);
  await outbox.queueInventory(v3);
  const result = await outbox.resume(2, inventoryHash(v2));
  t.same(result, { dropped: 2, fullQueued: null });
  t.same(outbox.pending().map((e) => e.seq), [3]);
  t.equal(outbox.base?.hash, inventoryHash(v2), 'what the server holds is the new base');
});

t.test('resuming against a server whose inventory differs from the base queues a full report', async (t) => {
  const outbox = await Outbox.open(await tempDir(t));
  await outbox.queueInventory(v1);
  await outbox.acknowledge(1, 'applied');
  await outbox.queueInventory(v2);
  const result = await outbox.resume(1, undefined);
  t.equal(result.fullQueued?.frame.type, 'inventory.full', 'a server that lost the inventory gets a full report');
  t.same(outbox.pending().map((e) => e.frame.type), ['inventory.full']);
  t.equal(outbox.latest?.hash, inventoryHash(v2));
});

t.test('resuming with nothing queued and a server that already holds the newest inventory sends nothing', async (t) => {
  const outbox = await Outbox.open(await tempDir(t));
  await outbox.queueInventory(v1);
  await outbox.acknowledge(1, 'applied');
  t.same(await outbox.resume(1, inventoryHash(v1)), { dropped: 0, fullQueued: null });
  t.equal(outbox.length, 0);
});

t.test('sequence numbers continue above what the server has seen, even from a fresh state directory', async (t) => {
  const outbox = await Outbox.open(await tempDir(t));
  await outbox.resume(41, undefined);
  t.equal((await outbox.queueInventory(v1))?.seq, 42);
});

t.test('a full report is due when none was acknowledged within the interval', async (t) => {
  let now = new Date('2026-11-28T10:00:00Z');
  const outbox = await Outbox.open(await tempDir(t), { now: () => now });
  t.ok(outbox.needsFullReport(86_400_000), 'nothing acknowledged yet');
  await outbox.queueInventory(v1);
  await outbox.acknowledge(1, 'applied');
  t.notOk(outbox.needsFullReport(86_400_000));
  now = new Date('2026-11-29T10:00:01Z');
  t.ok(outbox.needsFullReport(86_400_000), 'a day later');
  const entry = await outbox.queueInventory(v1, { full: true });
  t.equal(entry?.frame.type, 'inventory.full', 'an unchanged inventory is still sent when a full is due');
});

t.test('a report file damaged on disk is set aside with a warning instead of blocking the outbox', async (t) => {
  const dir = await tempDir(t);
  const outbox = await Outbox.open(dir);
  await outbox.queueInventory(v1);
  await outbox.queueInventory(v2);
  await writeFile(join(dir, reportFileName(2)), '{"frame": tru');
  const warnings: string[] = [];
  const reopened = await Outbox.open(dir, { onWarning: (m) => warnings.push(m) });
  t.same(reopened.pending().map((e) => e.seq), [1]);
  t.match(warnings[0], /0000000000000002\.json is unreadable/);
  t.ok((await readdir(dir)).includes(`${reportFileName(2)}.corrupt`));
  t.equal((await reopened.queueInventory(v3))?.seq, 3);
});
