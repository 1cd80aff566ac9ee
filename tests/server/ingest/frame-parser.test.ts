/**
 * The frame parser (ingest/frame-parser.ts): large frames parsed in worker threads give exactly
 * what the main thread gives (message, typed rejection, inventory hash), small ones are parsed on
 * the main thread, and a worker that dies loses no frame.
 */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { inventoryHash } from '@zhengban/protocol/hash';
import { FrameParser, parseFrameText, WORKER_MIN_BYTES } from '../../../server/src/ingest/frame-parser.ts';
import { debianInventory, deltaReport, dpkg, fullReport, manyPackages } from '../helpers/inventory.ts';

const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
const warnings: string[] = [];
const log = { warn: (_: object, message: string) => warnings.push(message) };

const large = debianInventory(manyPackages(400));
const frames = {
  full: bytes(fullReport(1, large)),
  delta: bytes(deltaReport(2, large, { ...large, software: [...large.software, dpkg('zsh', '5.9-4')] })),
  wrongShape: bytes({ v: 1, type: 'inventory.full', seq: 3, hash: 'x'.repeat(64), inventory: { ...large, hostname: 42 } }),
  notJson: bytes(`{"v":1,"type":"inventory.full",${' '.repeat(WORKER_MIN_BYTES)}`),
  hello: bytes({ v: 1, type: 'agent.hello', agentVersion: '0.1.0', platform: 'linux', hostname: 'pc-01' }),
};

t.test('a worker thread parses as the main thread does', async (t) => {
  const parser = new FrameParser(log, { workers: 1 });
  t.teardown(() => parser.close());
  t.equal(parser.workers, 1);
  t.ok(frames.full.byteLength >= WORKER_MIN_BYTES && frames.hello.byteLength < WORKER_MIN_BYTES, 'one frame for the worker, one for the main thread');
  for (const [name, frame] of Object.entries(frames)) {
    t.strictSame(await parser.parse(frame), parseFrameText(frame.toString('utf8')), name);
  }
  const full = await parser.parse(frames.full);
  t.match(full, { parsed: { kind: 'message', message: { type: 'inventory.full', seq: 1 } }, hash: inventoryHash(large) }, 'a full report comes with its inventory hash');
  t.match(await parser.parse(frames.notJson), { parsed: { kind: 'invalid', code: 'frame.invalid-json' } });
  t.match(await parser.parse(frames.wrongShape), { parsed: { kind: 'invalid', code: 'frame.invalid' } });
  t.notOk((await parser.parse(frames.wrongShape)).hash, 'no hash for a report that is not valid');
});

t.test('frames submitted together come back each with its own result', async (t) => {
  const parser = new FrameParser(log, { workers: 2 });
  t.teardown(() => parser.close());
  const reports = Array.from({ length: 20 }, (_, i) => fullReport(i + 1, debianInventory(manyPackages(300 + i))));
  const parsed = await Promise.all(reports.map((r) => parser.parse(bytes(r))));
  t.same(parsed.map((p) => (p.parsed.kind === 'message' && 'seq' in p.parsed.message ? p.parsed.message.seq : 0)), reports.map((r) => r.seq));
  t.same(parsed.map((p) => p.hash), reports.map((r) => r.hash));
});

t.test('without workers, and after close, frames are parsed on the main thread', async (t) => {
  const none = new FrameParser(log, { workers: 0 });
  t.strictSame(await none.parse(frames.full), parseFrameText(frames.full.toString('utf8')));
  const closed = new FrameParser(log, { workers: 1 });
  await closed.close();
  t.equal(closed.workers, 0);
  t.strictSame(await closed.parse(frames.full), parseFrameText(frames.full.toString('utf8')));
});

t.test('a worker that dies hands its frames back: they are parsed on the main thread, none is lost', async (t) => {
  // A worker module that dies at its first frame.
  const entry = join(tmpdir(), `zhengban-dying-worker-${process.pid}.mjs`);
  await writeFile(entry, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => process.exit(3));\n");
  const parser = new FrameParser(log, { workers: 1, entry: pathToFileURL(entry) });
  t.teardown(() => parser.close());
  warnings.length = 0;
  const results = await Promise.all([parser.parse(frames.full), parser.parse(frames.delta)]);
  t.strictSame(results, [parseFrameText(frames.full.toString('utf8')), parseFrameText(frames.delta.toString('utf8'))]);
  t.equal(parser.workers, 0, 'the dead worker is not used again');
  t.match(warnings, [/a worker thread failed/]);
  t.strictSame(await parser.parse(frames.full), parseFrameText(frames.full.toString('utf8')), 'later frames too');
});
