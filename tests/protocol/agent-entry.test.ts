/**
 * `@zhengban/protocol/agent`: what an agent's long-running process imports. It must not bring
 * zod's classic API or the inventory schemas with it (idle RSS, issue 3), and what it does bring
 * must behave as the main entry's definitions do.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import t from 'tap';
import * as agentSide from '@zhengban/protocol/agent';
import * as protocol from '@zhengban/protocol';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

t.test('the agent entry bundles without zod classic and without the agent -> server and inventory schemas', async (t) => {
  const result = await build({ entryPoints: ['protocol/src/agent.ts'], absWorkingDir: REPO_ROOT, bundle: true, platform: 'node', format: 'esm', write: false, metafile: true, logLevel: 'silent' });
  const inputs = Object.keys(result.metafile.inputs);
  t.same(inputs.filter((i) => /zod\/v4\/classic\//.test(i)), [], 'no zod classic');
  t.same(inputs.filter((i) => /protocol\/src\/(inventory|delta|messages|strings|frames)\.ts$/.test(i)), [], 'no classic schemas');
  t.ok(inputs.some((i) => /zod\/v4\/mini\//.test(i)), 'zod/mini for the server -> agent messages');
});

t.test('the agent entry re-exports the very same definitions as the main entry', async (t) => {
  for (const name of ['parseServerFrame', 'ServerMessage', 'MessageType', 'PROTOCOL_VERSION', 'diffInventory', 'applyInventoryDelta', 'canonicalJson', 'softwareKey', 'cleanString', 'describeZodError'] as const) {
    t.equal(agentSide[name], protocol[name], name);
  }
});

t.test('with only the agent entry loaded, invalid server frames are still described in English', async (t) => {
  const code = `import('@zhengban/protocol/agent').then((p) => console.log(JSON.stringify(p.parseServerFrame('{"v":1,"type":"inventory.ack","seq":0,"result":"maybe"}'))))`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', code], { cwd: REPO_ROOT });
  t.same(JSON.parse(stdout), {
    kind: 'invalid',
    code: 'frame.invalid',
    message: 'seq: Too small: expected number to be >0; result: Invalid option: expected one of "applied"|"duplicate"|"rejected"',
  });
});
