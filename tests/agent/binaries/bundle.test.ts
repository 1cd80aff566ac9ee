/**
 * The two scripts the release binaries embed (agent/scripts/build/bundle.ts): the main script,
 * which is all the long-running agent ever compiles, and the one-shot script with everything else.
 * Built here with esbuild into a temporary folder and run with this node (no SEA needed: outside a
 * SEA the main script reads the one-shot script from the file next to it).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { Inventory } from '@zhengban/protocol';
import { bundleAgent } from '../../../agent/scripts/build/bundle.ts';
import { readEvidenceBundle } from '../../../agent/src/evidence/io.ts';
import { interpretEvidence } from '../../../agent/src/interpret/index.ts';
import { REPO_ROOT, runProgram } from './binaries.ts';

const out = await mkdtemp(join(tmpdir(), 'zhengban-bundle-'));
t.teardown(() => rm(out, { recursive: true, force: true }));
const bundles = await bundleAgent(join(REPO_ROOT, 'agent', 'src'), out);

t.test('the main script holds the command line and run, and none of what only scans and one-shot commands need', async (t) => {
  const inputs = Object.keys(bundles.metafiles.main.inputs);
  const heavy = [
    /node_modules\/zod\/v4\/classic\//,
    /node_modules\/tar\//,
    /protocol\/src\/(inventory|delta|messages|strings|frames)\.ts$/,
    /agent\/src\/interpret\//,
    /agent\/src\/evidence\//,
    /agent\/src\/capture\/(linux|windows|windows-wmi|windows-wmi-capture|collector)\.ts$/,
    /agent\/src\/cli\/(scan-source|commands\/(enroll|scan|internal-scan|evidence-capture|status))\.ts$/,
  ];
  for (const pattern of heavy) t.same(inputs.filter((i) => pattern.test(i)), [], `nothing matching ${pattern}`);
  t.ok(inputs.some((i) => /node_modules\/ws\//.test(i)), 'the WebSocket client is there');
  t.ok(inputs.includes('agent/src/transport/outbox.ts'), 'and the outbox');
  t.ok(inputs.includes('agent/src/capture/linux-watch.ts'), 'and the package-database watch');
  t.notOk(Object.keys(bundles.metafiles.oneShot.inputs).includes('agent/src/cli/errors.ts'), 'CliError is the main script\'s, shared with the one-shot script');
});

t.test('both scripts are ASCII: V8 would keep a script with one Chinese character as UTF-16, twice the memory', async (t) => {
  for (const path of [bundles.main, bundles.oneShot]) t.notMatch(await readFile(path, 'latin1'), /[^\x00-\x7f]/, path);
});

t.test('node runs the main script: one-shot commands load from the second script, with their exit codes', async (t) => {
  const dir = join(REPO_ROOT, 'tests', 'fixtures', 'evidence', 'win11-home-single-language-unlicensed-wps2023');
  const scan = await runProgram(process.execPath, [bundles.main, 'scan', '--evidence', dir, '--json']);
  t.equal(scan.code, 0, scan.stderr);
  t.same(Inventory.parse(JSON.parse(scan.stdout)), Inventory.parse(interpretEvidence(await readEvidenceBundle(dir))), 'the same inventory as the sources give (Chinese patterns intact)');
  const missing = await runProgram(process.execPath, [bundles.main, 'scan', '--evidence', join(out, 'no-such-bundle')]);
  t.equal(missing.code, 6, 'exit 6: a CliError thrown in the one-shot script is recognised by the main script');
  t.match(missing.stderr, /^zhengban-agent: cannot open evidence bundle .*no-such-bundle: ENOENT\n$/);
});
