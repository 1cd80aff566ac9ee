/**
 * What a scan means for the outbox (run's ScanReporter), with the real outbox on disk and scans
 * scripted as the scan process would end them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { Inventory } from '@zhengban/protocol';
import { SCAN_FAILURE_SOURCE } from '../../../agent/src/cli/scan-failure.ts';
import type { ScanOutcome } from '../../../agent/src/cli/scan-process.ts';
import { ScanReporter } from '../../../agent/src/cli/scan-reporter.ts';
import { silentLogger } from '../../../agent/src/transport/logger.ts';
import { Outbox } from '../../../agent/src/transport/outbox.ts';
import { inventoryWith } from '../transport/inventories.ts';

const FAILED_AT = new Date('2026-11-28T11:00:00Z');
const worked = (inventory = inventoryWith(['bash@5.2-1'])): ScanOutcome => ({ ok: true, inventory, evidenceSha256: 'e'.repeat(64) });
const timedOut: ScanOutcome = { ok: false, exitCode: 1, message: 'the scan took longer than 5 min and was stopped' };

async function setUp(t: Test, scans: ScanOutcome[], reportFailures = true) {
  const dir = await mkdtemp(join(tmpdir(), 'zhengban-reporter-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const outbox = await Outbox.open(dir);
  const reporter = new ScanReporter({ scan: async () => scans.shift()!, outbox, log: silentLogger, fullIntervalMs: 86_400_000, reportFailures, now: () => FAILED_AT });
  return { outbox, reporter };
}

t.test('a failed scan is reported at once: the last inventory again, with the failure in its capture errors and its own collection time', async (t) => {
  const { outbox, reporter } = await setUp(t, [worked(), timedOut, timedOut, worked()]);
  await reporter.scanAndQueue();
  await outbox.acknowledge(1, 'applied');
  t.equal((await reporter.scanAndQueue()).ok, false);
  t.equal(outbox.length, 1);
  const report = outbox.pending()[0]!;
  t.equal(report.frame.type, 'inventory.delta');
  if (report.frame.type !== 'inventory.delta') return;
  t.same(report.frame.delta.software, { upserted: [], removed: [] }, 'nothing about the software changes');
  t.same(report.frame.delta.captureErrors, [
    { source: SCAN_FAILURE_SOURCE, message: 'the scan at 2026-11-28T11:00:00.000Z failed (the scan took longer than 5 min and was stopped); this report repeats the inventory collected at 2026-11-28T10:00:00Z' },
  ]);
  t.equal(report.result.inventory.collectedAt, '2026-11-28T10:00:00Z');
  t.ok(Inventory.safeParse(report.result.inventory).success, 'the report is a valid inventory');

  await outbox.acknowledge(2, 'applied');
  await reporter.scanAndQueue();
  t.equal(outbox.length, 0, 'the same failure again changes nothing: no new report');
  await reporter.scanAndQueue();
  t.match(outbox.pending()[0]!.frame, { type: 'inventory.delta', delta: { captureErrors: [] } }, 'the next scan that works clears the failure');
});

t.test('a scan that fails before any inventory exists is named in the first report that can be made', async (t) => {
  const { outbox, reporter } = await setUp(t, [timedOut, worked()]);
  await reporter.scanAndQueue();
  t.equal(outbox.length, 0, 'nothing to report it with yet');
  await reporter.scanAndQueue();
  t.match(outbox.pending()[0]!.frame, {
    type: 'inventory.full',
    inventory: { captureErrors: [{ source: SCAN_FAILURE_SOURCE, message: /^an earlier scan at 2026-11-28T11:00:00\.000Z failed \(the scan took longer/ }] },
  });
});

t.test('a scan stopped because the agent stops, or failing under run --once, queues nothing', async (t) => {
  const stopped = await setUp(t, [worked(), { ok: false, exitCode: 1, message: 'the scan was stopped: the agent is shutting down', aborted: true }]);
  await stopped.reporter.scanAndQueue();
  await stopped.reporter.scanAndQueue();
  t.equal(stopped.outbox.length, 1);
  const once = await setUp(t, [worked(), timedOut], false);
  await once.reporter.scanAndQueue();
  t.match(await once.reporter.scanAndQueue(), { ok: false, message: /took longer/ }, 'run --once gets the failure to exit with');
  t.equal(once.outbox.length, 1);
});
