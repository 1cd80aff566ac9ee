import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { ProtocolServer, TEST_TOKEN } from '../transport/protocol-server.ts';
import { runAgentBin } from './run-cli.ts';

/** A temporary directory removed after the test. */
export async function tempDir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zhengban-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A protocol server that stops after the test. */
export async function startServer(t: Test, server = new ProtocolServer()): Promise<ProtocolServer> {
  await server.start();
  t.teardown(() => server.stop());
  return server;
}

/** A state directory enrolled with `server` through the real bin. */
export async function enrolledStateDir(t: Test, server: ProtocolServer): Promise<string> {
  const stateDir = join(await tempDir(t), 'state');
  const result = await runAgentBin(['enroll', '--server', server.url, '--token', TEST_TOKEN, '--state-dir', stateDir]);
  t.equal(result.code, 0, `enrolled: ${result.stderr}`);
  return stateDir;
}

