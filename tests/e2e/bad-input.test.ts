/**
 * Issue #2, acceptance 4, at the process level: a broken or hostile agent throws everything bad at
 * the real server process, started with the default limits (16 MiB frames). Each bad input gets
 * its typed answer and changes nothing; a real agent reporting at the same time is not disturbed;
 * the process never crashes, stays ready, and logs no error. (Every case in isolation, on the app,
 * is specified by tests/server/agent-socket/; this file is about the process living through it.)
 */
import t from 'tap';
import { makeTempDir } from './helpers/temp-dir.ts';
import { MessageType, PROTOCOL_VERSION, type Hardware } from '@zhengban/protocol';
import { AgentSocket, agentAuthorization, enrollAgent, tryUpgrade } from '../server/helpers/agent-client.ts';
import { debianInventory, dpkg, fullReport, manyPackages } from '../server/helpers/inventory.ts';
import { createStateDir, readAgentCredentials, runAgent, runAgentOk } from './helpers/agent-cli.ts';
import { ApiClient } from './helpers/api.ts';
import { writeDebianBundle } from './helpers/evidence.ts';
import { createServerDatabase } from './helpers/server-database.ts';
import { ServerProcess } from './helpers/server-process.ts';
import { join } from 'node:path';

// Several real processes (server, agent CLIs) start one after another; on a loaded 2-core machine
// that takes minutes. Waits inside are bounded on their own (helpers/output-lines.ts).
t.setTimeout(600_000);

const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
/** The broken PC: its own enrolment, its own hardware, so it is not the good agent's machine. */
const BROKEN_PC: Hardware = { uuid: '0badc0de-0000-4000-8000-000000000001', serial: 'BROKEN-01', macs: ['02:00:00:0b:ad:01'] };

const database = await createServerDatabase();
t.teardown(() => database.remove());
const { server, banner } = await ServerProcess.start({ database, host: '127.0.0.1' });
t.teardown(() => server.kill());
const wsUrl = banner.url.replace(/^http/, 'ws');
const token = / --token (\S+)/.exec(banner.enrollCommand)![1]!;

// The good agent: the real CLI, reporting the Debian fixture PC.
const bundles = await makeTempDir('bundles');
const before = await writeDebianBundle(join(bundles, 'before'));
const after = await writeDebianBundle(join(bundles, 'after'), { install: [{ name: 'htop', version: '3.2.2-2' }] });
const stateDir = await createStateDir();
await runAgentOk(['enroll', '--server', banner.url, '--token', token, '--state-dir', stateDir]);
const good = await readAgentCredentials(stateDir);
await runAgentOk(['run', '--once', '--evidence', before, '--state-dir', stateDir]);

const broken = await enrollAgent(banner.url, token, { hostname: 'broken-pc', hardware: BROKEN_PC });
const api = await ApiClient.login(banner.url, banner.username, banner.password!);

/** What the API shows of every machine: compared before and after the abuse. */
async function everythingStored() {
  const machines = await api.machines();
  return Promise.all(machines.map(async (m) => {
    const { lastSeenAt: _seen, agents, ...detail } = await api.machine(m.id);
    return { ...detail, agents: agents.map(({ id, lastSeq }) => ({ id, lastSeq })) };
  }));
}

const withHostname = (hostname: string) => JSON.stringify(fullReport(7, debianInventory([dpkg('bash', '5.2.15-2+b2')], { hostname, hardware: { ...BROKEN_PC } })));
/** Entries as an rpm list without vendors looks: small enough that 100,000 fit in 16 MiB. */
const compactEntries = (count: number) => manyPackages(count).map(({ id, name, source }) => ({ id, name, source }));
/** Entries as real dpkg lists carry them (version, maintainer, arch): 100,000 are over 16 MiB. */
const fullEntries = (count: number) => manyPackages(count).map((s) => ({ ...s, publisher: 'Debian Developers <debian-devel@lists.debian.org>', installDate: '2026-11-01' }));

const frameCases: { name: string; frame: () => string; answer: Record<string, unknown> }[] = [
  { name: 'malformed JSON', frame: () => '{"v":1,"type":"inventory.full","seq":3,', answer: { code: 'frame.invalid-json' } },
  { name: 'valid JSON of the wrong shape', frame: () => JSON.stringify({ v: PROTOCOL_VERSION, type: MessageType.InventoryFull, seq: 3, inventory: [] }), answer: { code: 'frame.invalid', seq: 3 } },
  { name: 'an unknown message type', frame: () => JSON.stringify({ v: PROTOCOL_VERSION, type: 'inventory.teleport', seq: 3 }), answer: { code: 'frame.unknown-type' } },
  {
    name: 'a frame over the default 16 MiB limit',
    frame: () => JSON.stringify({ v: PROTOCOL_VERSION, type: MessageType.AgentHello, padding: 'x'.repeat(DEFAULT_MAX_FRAME_BYTES) }),
    answer: { code: 'frame.too-large', message: /over the limit of 16777216 bytes/ },
  },
  {
    name: 'a software list with 100,000 entries (compact: under 16 MiB)',
    frame: () => JSON.stringify(fullReport(4, debianInventory(compactEntries(100_000) as never, { hardware: { ...BROKEN_PC } }))),
    answer: { code: 'frame.invalid', seq: 4, message: /inventory\.software: Too big/ },
  },
  {
    name: 'a software list with 100,000 entries (as dpkg lists them: over 16 MiB)',
    frame: () => JSON.stringify(fullReport(5, debianInventory(fullEntries(100_000), { hardware: { ...BROKEN_PC } }))),
    answer: { code: 'frame.too-large' },
  },
  { name: 'a hostname with control characters', frame: () => withHostname('pc\u0000-01\u001b[2J'), answer: { code: 'frame.invalid', seq: 7, message: /hostname: contains control characters/ } },
  { name: 'a hostname with invalid UTF-16 (a lone surrogate)', frame: () => withHostname('pc-\udc00-01'), answer: { code: 'frame.invalid', seq: 7, message: /hostname: contains invalid UTF-16/ } },
  {
    name: 'a report whose hash does not match its inventory',
    frame: () => JSON.stringify({ ...fullReport(6, debianInventory([], { hardware: { ...BROKEN_PC } })), hash: 'a'.repeat(64) }),
    answer: { code: 'inventory.hash-mismatch', seq: 6 },
  },
];

t.test('wrong credentials get HTTP 401 before the upgrade, with a typed body', async (t) => {
  const cases = [
    { name: 'the enrolment token instead of agent credentials', authorization: `Agent ${token}` },
    { name: "the good agent's id with a wrong secret", authorization: agentAuthorization({ agentId: good.agentId, secret: broken.secret }) },
  ];
  for (const c of cases) {
    const result = await tryUpgrade(wsUrl, { authorization: c.authorization });
    if (result === 'upgraded') {
      t.fail(`${c.name}: the server upgraded the connection`);
      continue;
    }
    t.equal(result.status, 401, `${c.name}: HTTP 401`);
    t.match(JSON.parse(result.body), { statusCode: 401, code: /^agent\.credentials-/ });
  }
});

t.test('every bad frame gets its typed error and changes nothing; the socket keeps serving', async (t) => {
  const stored = await everythingStored();
  const socket = await AgentSocket.connect(wsUrl, broken);
  t.teardown(() => socket.close());
  for (const c of frameCases) {
    socket.sendRaw(c.frame());
    t.match(await socket.next(), { type: 'error', ...c.answer }, c.name);
  }
  t.same(await everythingStored(), stored, 'no machine, software row or sequence number changed');
});

t.test('frames the transport cannot take close only that socket; the agent can come straight back', async (t) => {
  const cases = [
    // {"<lone surrogate encoded as UTF-8 bytes>"}: not valid UTF-8, so not a text frame.
    { name: 'a text frame that is not UTF-8', data: Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]), close: 1007 },
    { name: 'a frame over twice the limit (32 MiB)', data: Buffer.alloc(2 * DEFAULT_MAX_FRAME_BYTES + 1, 0x20), close: 1009 },
  ];
  for (const c of cases) {
    const socket = await AgentSocket.connect(wsUrl, broken);
    socket.socket.send(c.data, { binary: false });
    t.match(await socket.closed, { code: c.close }, `${c.name}: closed with ${c.close}`);
    const again = await AgentSocket.connect(wsUrl, broken);
    t.match(again.received[0], { type: 'server.welcome', lastSeq: 0 }, 'a new socket is welcomed');
    again.close();
  }
  t.ok(server.logs().some((e) => e.msg === 'agent socket dropped: peer or network error' && e.level === 40), 'the server logs a warning, not an error');
});

t.test('while 20 broken sockets flood the server with garbage, the real agent still reports a delta', async (t) => {
  const flood = Array.from({ length: 20 }, async () => {
    const socket = await AgentSocket.connect(wsUrl, broken).catch(() => undefined);
    if (!socket) return 'superseded';
    for (let i = 0; i < 25 && socket.socket.readyState === socket.socket.OPEN; i++) socket.sendRaw(`garbage ${i}`);
    return (await socket.closed).code;
  });
  const reported = await runAgent(['run', '--once', '--evidence', after, '--state-dir', stateDir]);
  const closes = await Promise.all(flood);
  t.equal(reported.code, 0, `the real agent delivered (stderr: ${reported.stderr})`);
  t.match(server.reports(good.agentId).at(-1), { type: 'inventory.delta', seq: 2, result: 'applied', rowsUpserted: 1 }, 'as a delta on the base the agent expected');
  // Each flooder is closed for abuse (1008) or replaced by a newer socket of the same agent (4000).
  t.ok(closes.every((code) => code === 1008 || code === 4000 || code === 'superseded'), `flood sockets closed: ${[...new Set(closes)].join(', ')}`);
});

t.test('the process is still alive, ready, and logged no error', async (t) => {
  t.equal(server.child.exitCode, null, 'the server process is running');
  t.equal((await fetch(`${banner.url}/healthz`)).status, 200);
  t.equal((await fetch(`${banner.url}/readyz`)).status, 200);
  const errors = server.logs().filter((e) => e.level >= 50);
  t.same(errors.map((e) => e.msg), [], 'no error or fatal log lines');
  t.same(server.stderr.lines.filter((l) => l.trim()), [], 'nothing on stderr');
});
