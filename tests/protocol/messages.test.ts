import t from 'tap';
import {
  PROTOCOL_VERSION,
  parseAgentFrame,
  parseServerFrame,
  type Inventory,
  type AgentMessage,
} from '@zhengban/protocol';
import { inventoryHash } from '@zhengban/protocol/hash';

const inventory: Inventory = {
  collectedAt: '2026-11-28T10:00:00.000Z',
  hostname: 'pc-001',
  agentVersion: '0.1.0',
  hardware: { uuid: '4c4c4544-0042-3510-8052-b4c04f4e3232', serial: 'CN0X1234', macs: ['52:54:00:12:34:56'] },
  os: {
    family: 'kylin',
    product: 'Kylin Desktop V10 SP1',
    edition: 'desktop',
    version: 'V10 SP1 2403',
    arch: 'x86_64',
    activation: { status: 'licensed', channel: 'retail', expires: '2027-06-30' },
  },
  office: [
    { vendor: 'kingsoft', product: 'WPS Office 2019 专业版', edition: 'professional', version: '11.8.2.1234', scope: 'machine', activation: { status: 'licensed', channel: 'retail' } },
  ],
  software: [{ id: 'wps-office:amd64', name: 'wps-office', version: '11.8.2.1234', source: 'dpkg', arch: 'amd64' }],
  findings: [],
  captureErrors: [],
};

const full = { v: PROTOCOL_VERSION, type: 'inventory.full', seq: 1, hash: inventoryHash(inventory), inventory };

t.test('every agent message survives a JSON round trip unchanged', async (t) => {
  const messages: AgentMessage[] = [
    { v: 1, type: 'agent.hello', agentVersion: '0.1.0', platform: 'linux', hostname: 'pc-001' },
    full as AgentMessage,
    {
      v: 1,
      type: 'inventory.delta',
      seq: 2,
      baseHash: inventoryHash(inventory),
      hash: 'a'.repeat(64),
      delta: { collectedAt: '2026-11-28T10:05:00Z', software: { upserted: [], removed: ['dpkg||wps-office:amd64'] } },
    },
  ];
  for (const m of messages) {
    const parsed = parseAgentFrame(JSON.stringify(m));
    t.same(parsed, { kind: 'message', message: m }, m.type);
  }
});

t.test('every server message survives a JSON round trip unchanged', async (t) => {
  const messages = [
    { v: 1, type: 'server.welcome', agentId: 'a1', serverVersion: '0.1.0', lastSeq: 0, maxFrameBytes: 16 << 20 },
    { v: 1, type: 'inventory.ack', seq: 1, result: 'applied' },
    { v: 1, type: 'server.command', command: 'inventory.full', reason: 'delta base mismatch' },
    { v: 1, type: 'error', code: 'frame.invalid', message: 'seq: expected number' },
  ];
  for (const m of messages) t.same(parseServerFrame(JSON.stringify(m)), { kind: 'message', message: m }, m.type);
});

t.test('frames that must be refused, and what the sender is told', async (t) => {
  const cases: Array<[string, string, string]> = [
    ['not JSON', '{"v":1,', 'frame.invalid-json'],
    ['a JSON array', '[1,2]', 'frame.invalid'],
    ['no type', '{"v":1}', 'frame.invalid'],
    ['a future protocol version', JSON.stringify({ ...full, v: 2 }), 'protocol.unsupported-version'],
    ['wrong shape: seq is a string', JSON.stringify({ ...full, seq: '1' }), 'frame.invalid'],
    ['hash not hex', JSON.stringify({ ...full, hash: 'xyz' }), 'frame.invalid'],
    ['control character in a name', JSON.stringify({ ...full, inventory: { ...inventory, hostname: 'pc\u0000001' } }), 'frame.invalid'],
    ['lone surrogate in a name', JSON.stringify({ ...full, inventory: { ...inventory, hostname: 'pc\ud800' } }), 'frame.invalid'],
    [
      '100,000 software entries',
      JSON.stringify({ ...full, inventory: { ...inventory, software: Array.from({ length: 100_000 }, (_, i) => ({ id: `p${i}`, name: `p${i}`, source: 'dpkg' })) } }),
      'frame.invalid',
    ],
  ];
  for (const [name, text, code] of cases) {
    const parsed = parseAgentFrame(text);
    t.equal(parsed.kind, 'invalid', name);
    if (parsed.kind === 'invalid') {
      t.equal(parsed.code, code, `${name}: ${parsed.message}`);
      t.ok(parsed.message.length > 0 && parsed.message.length < 2000, `${name}: message is short and says something`);
    }
  }
});

t.test('unknown message types are reported as such, for the receiver to ignore', async (t) => {
  t.same(parseServerFrame('{"v":1,"type":"server.future-thing","x":1}'), { kind: 'unknown-type', type: 'server.future-thing' });
  t.same(parseAgentFrame('{"v":1,"type":"agent.teleport"}'), { kind: 'unknown-type', type: 'agent.teleport' });
});

t.test('unknown fields are ignored within a version (additive changes stay compatible)', async (t) => {
  const parsed = parseServerFrame('{"v":1,"type":"inventory.ack","seq":3,"result":"applied","newField":true}');
  t.same(parsed, { kind: 'message', message: { v: 1, type: 'inventory.ack', seq: 3, result: 'applied' } });
});
