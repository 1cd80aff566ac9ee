/**
 * The scan process that `run` starts for every scan (`internal-scan`): real child processes, the
 * real agent bin for the scans that work, plain node for the ones that crash or hang.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { writeEvidenceBundle } from '../../../agent/src/evidence/index.ts';
import { childProcessScanRunner, type ScanProcessOptions } from '../../../agent/src/cli/scan-process.ts';
import { scanInventory } from '../../../agent/src/cli/scan-source.ts';
import { EXIT } from '../../../agent/src/cli/errors.ts';
import { debianBundle } from './bundles.ts';
import { AGENT_BIN } from './run-cli.ts';

// Each real scan starts the bin (node + tsx compiling the agent): seconds on a busy machine.
t.setTimeout(180_000);

async function workDir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zhengban-scan-process-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The agent bin's internal-scan, as run.ts starts it from source. */
function agentScan(dir: string, extra: string[] = []): ScanProcessOptions {
  const resultPath = join(dir, 'scan-result.json');
  return { program: process.execPath, args: [AGENT_BIN, 'internal-scan', '--out', resultPath, '--state-dir', join(dir, 'state'), ...extra], resultPath, timeoutMs: 120_000 };
}

/** Plain node running `code`, in place of the agent (a scan process that misbehaves). */
function nodeScript(dir: string, code: string, timeoutMs = 120_000): ScanProcessOptions {
  return { program: process.execPath, args: ['-e', code], resultPath: join(dir, 'scan-result.json'), timeoutMs };
}

t.test('a scan process interprets the bundle and hands over the same inventory as an in-process scan, leaving no result file', async (t) => {
  const dir = await workDir(t);
  const bundle = join(dir, 'bundle');
  await writeEvidenceBundle(debianBundle(['bash@5.2-1', 'vim@9.0-1']), bundle);
  const outcome = await childProcessScanRunner(agentScan(dir, ['--evidence', bundle]))();
  const local = await scanInventory({ evidence: bundle, platform: 'linux' });
  t.match(outcome, { ok: true, evidenceSha256: local.evidenceSha256 });
  t.same(outcome.ok && outcome.inventory, local.inventory);
  t.notOk((await readdir(dir)).includes('scan-result.json'), 'the result file is removed once read');
});

t.test('a scan that fails says why with the exit code the command would have (6: evidence)', async (t) => {
  const dir = await workDir(t);
  const outcome = await childProcessScanRunner(agentScan(dir, ['--evidence', join(dir, 'no-such-bundle')]))();
  t.match(outcome, { ok: false, exitCode: EXIT.evidence, message: /cannot open evidence bundle .*no-such-bundle/ });
});

t.test('a scan process that crashes, hangs, cannot start or is stopped becomes a failed outcome, never an exception', async (t) => {
  const dir = await workDir(t);
  const cases: Array<[string, ScanProcessOptions, RegExp, boolean?]> = [
    ['crash with a message', nodeScript(dir, 'console.error("zhengban-agent: out of memory"); process.exit(3)'), /^the scan process exited with code 3: zhengban-agent: out of memory$/],
    ['killed by a signal', nodeScript(dir, 'process.kill(process.pid, "SIGKILL")'), /^the scan process was killed by SIGKILL$/],
    ['hang past the timeout', nodeScript(dir, 'setInterval(() => {}, 1000)', 1_500), /^the scan took longer than 1\.5 s and was stopped$/],
    ['exits 0 without a result', nodeScript(dir, ''), /^the scan process exited with code 0$/],
    ['a garbled result file', nodeScript(dir, `require("fs").writeFileSync(${JSON.stringify(join(dir, 'scan-result.json'))}, "{\\"ok\\": tr")`), /^the scan process left an unreadable result: /],
    ['no such program', { program: join(dir, 'missing-agent'), args: [], resultPath: join(dir, 'scan-result.json'), timeoutMs: 10_000 }, /^the scan process could not start: spawn .*ENOENT/],
  ];
  for (const [name, options, message] of cases) {
    const outcome = await childProcessScanRunner(options)();
    t.match(outcome, { ok: false, exitCode: EXIT.failure, message }, name);
    t.notOk(outcome.ok === false && outcome.aborted, `${name}: not an abort`);
  }

  const stop = new AbortController();
  const running = childProcessScanRunner(nodeScript(dir, 'setInterval(() => {}, 1000)'))(stop.signal);
  stop.abort();
  t.match(await running, { ok: false, aborted: true, message: /the agent is shutting down/ }, 'stopped because the agent stops');
});
