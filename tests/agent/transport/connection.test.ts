import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { MessageType, PROTOCOL_VERSION } from '@zhengban/protocol';
import { inventoryHash } from '@zhengban/protocol/hash';
import { AgentTransport, type TransportEvent } from '../../../agent/src/transport/connection.ts';
import { Outbox } from '../../../agent/src/transport/outbox.ts';
import { ProtocolServer, TEST_AGENT, eventually, newServerMemory } from './protocol-server.ts';
import { inventoryWith } from './inventories.ts';

const v1 = inventoryWith(['bash@5.2', 'curl@7.88']);
const v2 = inventoryWith(['bash@5.2', 'curl@7.88', 'vim@9.0'], '2026-11-28T10:05:00Z');
const v3 = inventoryWith(['bash@5.2', 'vim@9.0'], '2026-11-28T10:10:00Z');

async function startServer(t: Test, server = new ProtocolServer()): Promise<ProtocolServer> {
  await server.start();
  t.teardown(() => server.stop());
  return server;
}

async function startAgent(t: Test, server: ProtocolServer, options: { secret?: string; outbox?: Outbox } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'zhengban-transport-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const outbox = options.outbox ?? (await Outbox.open(dir));
  const events: TransportEvent[] = [];
  const transport = new AgentTransport({
    credentials: async () => ({ serverUrl: server.url, agentId: TEST_AGENT.agentId, secret: options.secret ?? TEST_AGENT.secret }),
    hello: { agentVersion: '0.1.0', platform: 'linux', hostname: 'pc-01' },
    outbox,
    onEvent: (e) => events.push(e),
    backoff: { baseMs: 20, capMs: 200 },
    refusedRetryMs: 60_000,
  });
  t.teardown(() => transport.stop());
  const queue = async (inventory = v1) => {
    const entry = await outbox.queueInventory(inventory);
    transport.flush();
    return entry;
  };
  return { transport, outbox, events, queue };
}

t.test('a full report and then a delta are applied and acknowledged, and the outbox empties', async (t) => {
  const server = await startServer(t);
  const agent = await startAgent(t, server);
  await agent.queue(v1);
  agent.transport.start();
  await eventually('report 1 acknowledged', () => agent.outbox.length === 0 && server.memory.applied.length === 1);
  await agent.queue(v2);
  await eventually('delta acknowledged', () => agent.outbox.length === 0 && server.memory.applied.length === 2);
  t.same(server.memory.received, [{ seq: 1, type: 'inventory.full' }, { seq: 2, type: 'inventory.delta' }]);
  t.equal(server.memory.hash, inventoryHash(v2), 'the server holds exactly the agent\'s inventory');
  t.equal(agent.outbox.base?.hash, inventoryHash(v2));
  t.ok(agent.events.some((e) => e.type === 'state' && e.state === 'connected'));
});

t.test('a report the server already applied is acknowledged as duplicate and leaves the outbox without a second apply', async (t) => {
  const memory = newServerMemory();
  const server = await startServer(t, new ProtocolServer(memory, { withholdAcks: true }));
  const agent = await startAgent(t, server);
  await agent.queue(v1);
  agent.transport.start();
  await eventually('report applied (its ack lost)', () => memory.applied.length === 1);
  // The server forgets to mention it in the next welcome (an older view), so the agent re-sends.
  server.behaviour = { welcomeLastSeq: 0 };
  agent.transport.reconnectNow('test');
  await eventually('duplicate acknowledged', () => agent.events.some((e) => e.type === 'ack' && e.seq === 1 && e.result === 'duplicate'));
  t.equal(agent.outbox.length, 0);
  t.same(memory.applied, [1], 'applied exactly once');
});

t.test('after a server restart, reports it never acknowledged are re-sent in seq order and applied exactly once', async (t) => {
  const memory = newServerMemory();
  const first = new ProtocolServer(memory, {
    // The server dies with these reports in flight: read but neither applied nor acknowledged.
    intercept: (message) => message.type !== MessageType.AgentHello && message.seq >= 2,
  });
  await first.start();
  t.teardown(() => first.stop());
  const agent = await startAgent(t, first);
  await agent.queue(v1);
  agent.transport.start();
  await eventually('report 1 applied', () => memory.applied.length === 1 && agent.outbox.length === 0);
  await agent.queue(v2);
  await agent.queue(v3);
  await eventually('reports 2 and 3 reached the dying server', () => memory.received.length === 3);
  await first.stop();
  await eventually('agent notices', () => agent.events.some((e) => e.type === 'state' && e.state === 'disconnected'));
  t.same(agent.outbox.pending().map((e) => e.seq), [2, 3], 'both reports wait in the outbox');

  const restarted = new ProtocolServer(memory);
  await restarted.start(first.port);
  t.teardown(() => restarted.stop());
  await eventually('everything delivered after the restart', () => agent.outbox.length === 0);
  t.same(memory.applied, [1, 2, 3], 'each report applied once, in order');
  t.equal(memory.hash, inventoryHash(v3));
});

t.test('an ack lost with the connection is settled by the welcome: nothing is sent twice', async (t) => {
  const memory = newServerMemory();
  const server = await startServer(t, new ProtocolServer(memory, { withholdAcks: true }));
  const agent = await startAgent(t, server);
  await agent.queue(v1);
  agent.transport.start();
  await eventually('applied without ack', () => memory.applied.length === 1);
  server.behaviour = {};
  agent.transport.reconnectNow('test');
  await eventually('outbox settled by the welcome', () => agent.outbox.length === 0);
  t.same(memory.received.map((r) => r.seq), [1], 'report 1 was not re-sent');
  t.equal(agent.outbox.base?.hash, inventoryHash(v1));
});

t.test('a delta the server rejects (its inventory moved) is followed by a full report', async (t) => {
  const memory = newServerMemory();
  const server = await startServer(t, new ProtocolServer(memory, { commandFullOnReject: true }));
  const agent = await startAgent(t, server);
  await agent.queue(v1);
  agent.transport.start();
  await eventually('report 1 applied', () => agent.outbox.length === 0 && memory.applied.length === 1);
  // Someone else changed what the server holds for this machine (e.g. an admin reset it).
  memory.inventory = inventoryWith(['other@1']);
  memory.hash = inventoryHash(memory.inventory);
  await agent.queue(v2);
  await eventually('full report applied', () => agent.outbox.length === 0 && memory.hash === inventoryHash(v2));
  t.same(memory.received.map((r) => r.type), ['inventory.full', 'inventory.delta', 'inventory.full'], 'one full report, not two, despite the ack and the command');
  t.ok(agent.events.some((e) => e.type === 'ack' && e.seq === 2 && e.result === 'rejected'));
});

t.test('server.command inventory.full makes the agent send a full report; unknown message types are ignored', async (t) => {
  const memory = newServerMemory();
  const server = await startServer(t, new ProtocolServer(memory));
  const agent = await startAgent(t, server);
  await agent.queue(v1);
  agent.transport.start();
  await eventually('report 1 applied', () => agent.outbox.length === 0 && memory.applied.length === 1);
  server.broadcast({ v: PROTOCOL_VERSION, type: 'server.future-feature', payload: { anything: true } });
  server.broadcast({ v: PROTOCOL_VERSION, type: MessageType.ServerCommand, command: 'inventory.full', reason: 'test' });
  await eventually('second full report applied', () => memory.applied.length === 2 && agent.outbox.length === 0);
  t.same(memory.received.map((r) => r.type), ['inventory.full', 'inventory.full']);
  t.notOk(agent.events.some((e) => e.type === 'state' && e.state === 'disconnected'), 'the unknown message did not cost the connection');
});

t.test('server.command scan.now asks the owner to rescan', async (t) => {
  const server = await startServer(t);
  const agent = await startAgent(t, server);
  agent.transport.start();
  await eventually('connected', () => agent.transport.state === 'connected');
  server.broadcast({ v: PROTOCOL_VERSION, type: MessageType.ServerCommand, command: 'scan.now' });
  await eventually('scan requested', () => agent.events.some((e) => e.type === 'scan-requested'));
});

t.test('a report the server calls invalid is dropped, not re-sent forever', async (t) => {
  const memory = newServerMemory();
  const server = await startServer(t, new ProtocolServer(memory, {
    intercept: (message, socket) => {
      if (message.type !== MessageType.InventoryFull || message.seq !== 1) return false;
      socket.send(JSON.stringify({ v: PROTOCOL_VERSION, type: MessageType.Error, code: 'frame.invalid', message: 'inventory.os: required', seq: 1 }));
      return true;
    },
  }));
  const agent = await startAgent(t, server);
  await agent.queue(v1);
  agent.transport.start();
  await eventually('report 1 dropped', () => agent.outbox.length === 0 && memory.received.length === 1);
  await agent.queue(v2);
  await eventually('the next report goes through', () => memory.applied.length === 1 && agent.outbox.length === 0);
  t.same(memory.received.map((r) => r.seq), [1, 2], 'report 1 was sent once');
});

t.test('a report that keeps failing with a transient server error is given up after three tries', async (t) => {
  const memory = newServerMemory();
  let failures = 0;
  const server = await startServer(t, new ProtocolServer(memory, {
    intercept: (message, socket) => {
      if (message.type === MessageType.AgentHello) return false;
      failures++;
      socket.send(JSON.stringify({ v: PROTOCOL_VERSION, type: MessageType.Error, code: 'ingest.failed', message: 'database unavailable', seq: message.seq }));
      return true;
    },
  }));
  const agent = await startAgent(t, server);
  await agent.queue(v1);
  agent.transport.start();
  await eventually('report dropped after repeated failures', () => agent.outbox.length === 0);
  t.equal(failures, 3);
});

t.test('credentials the server refuses (HTTP 401 on the upgrade) are reported clearly and not retried quickly', async (t) => {
  const server = await startServer(t);
  const agent = await startAgent(t, server, { secret: 'x'.repeat(40) });
  agent.transport.start();
  await eventually('refused', () => agent.events.some((e) => e.type === 'refused'));
  const refused = agent.events.find((e) => e.type === 'refused');
  t.match(refused, { reason: 'revoked', message: /refused this agent's credentials \(HTTP 401\).*enrol again/ });
  await eventually('state says revoked', () => agent.transport.state === 'revoked');
  t.match(agent.events.findLast((e) => e.type === 'state'), { state: 'revoked', detail: /refused this agent's credentials.*; retrying in 60 s/ });
});

t.test('an unreachable server is retried with backoff and the reason is kept', async (t) => {
  const server = await startServer(t);
  const port = server.port;
  await server.stop();
  const agent = await startAgent(t, server);
  server.port = port;
  agent.transport.start();
  await eventually('two failed attempts', () => agent.events.filter((e) => e.type === 'state' && e.state === 'disconnected').length >= 2);
  t.match(agent.transport.lastFailureReason, /cannot reach ws:\/\/127\.0\.0\.1:\d+\/agent\/ws \(ECONNREFUSED\)/);
});
