import t, { type Test } from 'tap';
import WebSocket from 'ws';
import { MessageType, PROTOCOL_VERSION } from '@zhengban/protocol';
import { buildTestApp } from '../../helpers/db.ts';
import { AgentSocket, enrollAgent } from '../helpers/agent-client.ts';
import { debianInventory, dpkg, fullReport, manyPackages } from '../helpers/inventory.ts';
import { machineState } from '../helpers/machine-state.ts';

// Small enough to test cheaply, large enough for a 100,000-entry list to fit (so the protocol's
// own 20,000-entry limit is what refuses it, not the frame size).
const MAX_FRAME_BYTES = 8 * 1024 * 1024;
const testApp = await buildTestApp({ listen: true, config: { maxFrameBytes: MAX_FRAME_BYTES } });
t.teardown(testApp.close);

const stored = debianInventory([dpkg('bash', '5.2.15-2+b2'), dpkg('curl', '7.88.1-10')]);
const credentials = await enrollAgent(testApp.baseUrl, testApp.seeded.startupToken, { hardware: stored.hardware });
const state = () => machineState(testApp.database, credentials.agentId);

// One good report first, so "nothing changed" has something to compare.
const setup = await AgentSocket.connect(testApp.wsUrl, credentials);
setup.sendJson(fullReport(1, stored));
await setup.next();
setup.close();
await setup.closed;

let nextSeq = 2;
/** Proves the socket still serves: a valid report right after the bad frame is applied. */
async function assertStillServing(t: Test, agent: AgentSocket) {
  const seq = nextSeq++;
  agent.sendJson(fullReport(seq, stored));
  t.match(await agent.next(), { type: 'inventory.ack', seq, result: 'applied' }, 'the next valid report on the same socket is applied');
}

const withName = (name: string) => fullReport(99, debianInventory([dpkg('bash', '5.2.15-2+b2'), { ...dpkg('x', '1'), name }]));

const cases: { name: string; frame: () => string | Buffer; binary?: boolean; expect: Record<string, unknown> }[] = [
  { name: 'malformed JSON', frame: () => '{"v":1,"type":"inventory.full",', expect: { code: 'frame.invalid-json', message: /not JSON/ } },
  { name: 'a JSON array instead of an object', frame: () => '[1,2,3]', expect: { code: 'frame.invalid', message: /JSON object/ } },
  {
    name: 'valid JSON of the wrong shape',
    frame: () => JSON.stringify({ v: PROTOCOL_VERSION, type: MessageType.InventoryFull, seq: 42, hash: 'abc', inventory: { hostname: 7 } }),
    expect: { code: 'frame.invalid', seq: 42, message: /hash: expected a lower-case hex SHA-256/ },
  },
  {
    name: 'an unknown message type',
    frame: () => JSON.stringify({ v: PROTOCOL_VERSION, type: 'agent.dance', steps: 3 }),
    expect: { code: 'frame.unknown-type', message: /agent\.dance/ },
  },
  {
    name: 'an unsupported protocol version',
    frame: () => JSON.stringify({ ...fullReport(43, stored), v: 99 }),
    expect: { code: 'protocol.unsupported-version', seq: 43 },
  },
  { name: 'a binary frame', frame: () => Buffer.from([1, 2, 3]), binary: true, expect: { code: 'frame.invalid', message: /binary frames/ } },
  {
    name: 'a frame over the size limit',
    frame: () => JSON.stringify({ v: PROTOCOL_VERSION, type: MessageType.AgentHello, padding: 'x'.repeat(MAX_FRAME_BYTES) }),
    expect: { code: 'frame.too-large', message: new RegExp(`over the limit of ${MAX_FRAME_BYTES} bytes`) },
  },
  {
    name: 'a software list with 100,000 entries',
    // Minimal entries (id, name, source), as an rpm list without vendors looks: 100,000 fit in 8 MiB.
    frame: () => JSON.stringify(fullReport(44, debianInventory(manyPackages(100_000).map(({ id, name, source }) => ({ id, name, source }))))),
    expect: { code: 'frame.invalid', seq: 44, message: /inventory\.software: Too big: expected array to have <=?20000 items/ },
  },
  {
    name: 'a package name with control characters',
    frame: () => JSON.stringify(withName('evil\u0000name\u001b[31m')),
    expect: { code: 'frame.invalid', seq: 99, message: /inventory\.software\.1\.name: contains control characters/ },
  },
  {
    name: 'a package name with a lone surrogate (invalid UTF-16)',
    // JSON.stringify writes a lone surrogate as the escape \ud800, which JSON.parse turns back into one.
    frame: () => JSON.stringify(withName('broken \ud800 name')),
    expect: { code: 'frame.invalid', seq: 99, message: /contains invalid UTF-16/ },
  },
];

t.test('every bad frame gets a typed error, changes nothing, and the socket keeps serving', async (t) => {
  const agent = await AgentSocket.connect(testApp.wsUrl, credentials);
  t.teardown(() => agent.close());
  for (const c of cases) {
    await t.test(c.name, async (t) => {
      const before = await state();
      agent.sendRaw(c.frame(), c.binary);
      t.match(await agent.next(), { type: 'error', ...c.expect });
      t.same(await state(), before, 'nothing stored changed');
      await assertStillServing(t, agent);
    });
  }
});

t.test('a frame beyond twice the limit closes that socket with 1009; the server keeps serving', async (t) => {
  const agent = await AgentSocket.connect(testApp.wsUrl, credentials);
  agent.sendRaw('x'.repeat(2 * MAX_FRAME_BYTES + 1));
  t.match(await agent.closed, { code: 1009 }, 'closed as Message Too Big');
  const again = await AgentSocket.connect(testApp.wsUrl, credentials);
  t.teardown(() => again.close());
  await assertStillServing(t, again);
});

t.test('a text frame that is not UTF-8 closes that socket with 1007; the server keeps serving', async (t) => {
  const agent = await AgentSocket.connect(testApp.wsUrl, credentials);
  agent.socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
  t.match(await agent.closed, { code: 1007 }, 'closed as invalid frame payload data');
  const again = await AgentSocket.connect(testApp.wsUrl, credentials);
  t.teardown(() => again.close());
  await assertStillServing(t, again);
});

t.test('20 invalid frames close the socket with 1008 after an agent.abuse error', async (t) => {
  const agent = await AgentSocket.connect(testApp.wsUrl, credentials);
  for (let i = 0; i < 20; i++) agent.sendRaw('not json');
  const frames = await agent.nextFrames(20);
  t.same(frames.slice(0, 19).map((f) => (f.type === 'error' ? f.code : f.type)), Array(19).fill('frame.invalid-json'));
  t.match(frames[19], { type: 'error', code: 'agent.abuse' });
  t.match(await agent.closed, { code: 1008 });
  t.equal(agent.socket.readyState, WebSocket.CLOSED);
});

t.test('unknown message types are not abuse: a newer agent may send types this server predates', async (t) => {
  const agent = await AgentSocket.connect(testApp.wsUrl, credentials);
  t.teardown(() => agent.close());
  for (let i = 0; i < 25; i++) agent.sendJson({ v: PROTOCOL_VERSION, type: 'agent.future-feature' });
  const frames = await agent.nextFrames(25);
  t.ok(frames.every((f) => f.type === 'error' && f.code === 'frame.unknown-type'));
  await assertStillServing(t, agent);
});
