import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { Inventory } from '@zhengban/protocol';
import { writeEvidenceBundle } from '../../../agent/src/evidence/index.ts';
import { TEST_AGENT, TEST_TOKEN } from '../transport/protocol-server.ts';
import { enrolledStateDir, startServer, tempDir } from './agent-bin-helpers.ts';
import { debianBundle } from './bundles.ts';
import { runAgentBin } from './run-cli.ts';

// Each step starts the real bin (node + tsx compiling the agent): seconds apiece on a busy machine.
t.setTimeout(300_000);

t.test('enrolment saves the credentials readable by the owner only, and says clearly when it cannot', async (t) => {
  const server = await startServer(t);
  const stateDir = await enrolledStateDir(t, server);
  const credentialsPath = join(stateDir, 'credentials.json');
  t.equal((await stat(credentialsPath)).mode & 0o777, 0o600, 'credentials.json is 0600');
  t.match(JSON.parse(await readFile(credentialsPath, 'utf8')), { serverUrl: server.url, agentId: TEST_AGENT.agentId, secret: TEST_AGENT.secret });
  t.match(server.memory.enrolments[0], { token: TEST_TOKEN, platform: 'linux', agentVersion: '0.1.0' }, 'the request carries who is enrolling');

  const wrongToken = await runAgentBin(['enroll', '--server', server.url, '--token', 'not-the-token', '--state-dir', join(stateDir, 'other')]);
  t.equal(wrongToken.code, 5);
  t.match(wrongToken.stderr, /^zhengban-agent: the server refused the enrolment token \(HTTP 401: invalid enrolment token\): it is wrong, expired or used up/);

  const port = server.port;
  await server.stop();
  const unreachable = await runAgentBin(['enroll', '--server', `http://127.0.0.1:${port}`, '--token', TEST_TOKEN, '--state-dir', join(stateDir, 'other')]);
  t.equal(unreachable.code, 4);
  t.match(unreachable.stderr, /cannot reach the server at http:\/\/127\.0\.0\.1:\d+\/agent\/enroll \(ECONNREFUSED\)/);
});

t.test('scan prints the inventory of a bundle, and of this machine with every installed dpkg package', async (t) => {
  const dir = await tempDir(t);
  await writeEvidenceBundle(debianBundle(['bash@5.2-1', 'vim@9.0-1']), join(dir, 'bundle.tar.gz'));
  const fromBundle = await runAgentBin(['scan', '--evidence', join(dir, 'bundle.tar.gz'), '--json']);
  t.equal(fromBundle.code, 0, fromBundle.stderr);
  const inventory = Inventory.parse(JSON.parse(fromBundle.stdout));
  t.equal(inventory.os.product, 'Debian GNU/Linux 12 (bookworm)');
  t.same(inventory.software.map((s) => s.name), ['bash', 'vim']);

  if (process.platform !== 'linux') return;
  const capture = await runAgentBin(['evidence', 'capture', '--out', join(dir, 'live.tar.gz')]);
  t.equal(capture.code, 0, capture.stderr);
  t.match(capture.stdout, /^wrote .*live\.tar\.gz: \d+ files, \d+ command outputs, \d+ capture error\(s\)\nsha256 [0-9a-f]{64}\n$/);
  const live = await runAgentBin(['scan', '--evidence', join(dir, 'live.tar.gz'), '--json']);
  t.equal(live.code, 0, live.stderr);
  const installed = (await readFile('/var/lib/dpkg/status', 'utf8')).split('\n').filter((line) => line === 'Status: install ok installed').length;
  t.equal(Inventory.parse(JSON.parse(live.stdout)).software.filter((s) => s.source === 'dpkg').length, installed, 'one software entry per installed dpkg package');
});

