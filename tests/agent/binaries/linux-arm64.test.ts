import { join } from 'node:path';
import t from 'tap';
import { Inventory } from '@zhengban/protocol';
import { readEvidenceBundle } from '../../../agent/src/evidence/io.ts';
import { interpretEvidence } from '../../../agent/src/interpret/index.ts';
import { AGENT_VERSION } from '../../../agent/src/version.ts';
import { REPO_ROOT, agentBinaries, qemuMissing, runUnderQemu } from './binaries.ts';

const skip = await qemuMissing();
t.setTimeout(900_000);

const FIXTURES = ['kylin-desktop-v10-sp1-2303-aarch64-trial', 'kylin-server-v10-sp2-sword-aarch64'];

t.test('the linux-arm64 binary runs under qemu-user and prints the agent version', { skip }, async (t) => {
  const binary = (await agentBinaries()).binaries.get('linux-arm64')!;
  const result = await runUnderQemu(binary, ['--version']);
  t.equal(result.code, 0, result.stderr);
  t.equal(result.stdout, `${AGENT_VERSION}\n`);
});

t.test('the arm64 binary interprets a Kylin bundle exactly as the sources do', { skip }, async (t) => {
  const binary = (await agentBinaries()).binaries.get('linux-arm64')!;
  for (const name of FIXTURES) {
    const dir = join(REPO_ROOT, 'tests', 'fixtures', 'evidence', name);
    const result = await runUnderQemu(binary, ['scan', '--evidence', dir, '--json']);
    t.equal(result.code, 0, `${name}: ${result.stderr}`);
    const fromBinary = Inventory.parse(JSON.parse(result.stdout));
    const fromSource = Inventory.parse(interpretEvidence(await readEvidenceBundle(dir)));
    t.same(fromBinary, fromSource, `${name}: same inventory`);
    t.equal(fromBinary.os.arch, 'aarch64', `${name}: an aarch64 machine`);
  }
});
