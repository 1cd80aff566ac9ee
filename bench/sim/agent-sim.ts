/**
 * Load generator: many simulated agents, each a real WebSocket speaking protocol v1 to a real
 * zhengban server (enrolled through its HTTP API, authenticated on the upgrade, welcomed, acked).
 * It builds realistic inventories (a Kylin desktop with N dpkg packages) and their frames ahead of
 * time, so a benchmark times the server and not the generator. Reused by every bench that needs a
 * fleet.
 */
import {
  AGENT_AUTH_SCHEME,
  diffInventory,
  MessageType,
  parseServerFrame,
  PROTOCOL_VERSION,
  type EnrollResponse,
  type Inventory,
  type InventoryAck,
  type Software,
} from '@zhengban/protocol';
import { inventoryHash } from '@zhengban/protocol/hash';
import WebSocket from 'ws';

/** A dpkg package as a Kylin desktop lists it. */
function kylinPackage(machine: number, i: number): Software {
  // Most packages are shared across the fleet (as on real desktops); a few differ per machine.
  const name = i % 50 === 49 ? `site-tool-${machine % 97}-${i}` : `lib${['gtk', 'qt5', 'kylin', 'ukui', 'x11', 'ssl', 'gst'][i % 7]}-pkg-${i}`;
  return {
    id: `${name}:amd64`,
    name,
    version: `${1 + (i % 9)}.${i % 13}.${(machine + i) % 5}-1kylin${i % 3}`,
    publisher: 'Kylin Team <packaging@kylinos.cn>',
    source: 'dpkg',
    arch: 'amd64',
  };
}

/** The inventory of simulated machine `machine` with `entries` software entries. */
export function simulatedInventory(machine: number, entries: number): Inventory {
  const n = String(machine).padStart(5, '0');
  return {
    collectedAt: '2026-11-28T09:00:00+08:00',
    hostname: `sim-pc-${n}`,
    agentVersion: '0.1.0',
    hardware: {
      uuid: `5a5a0000-0000-4000-8000-${String(machine).padStart(12, '0')}`,
      serial: `SIM${n}`,
      vendor: 'Lenovo',
      model: 'ThinkCentre M90t',
      machineId: `${n}${'0'.repeat(27)}`,
      macs: [`02:5a:00:00:${n.slice(1, 3)}:${n.slice(3, 5)}`],
      cpu: 'Hygon C86 3250 8-core Processor',
      memoryMb: 16_000,
      virtual: false,
    },
    os: {
      family: 'kylin',
      product: 'Kylin Desktop V10 SP1',
      edition: 'desktop',
      version: 'V10 SP1 2403',
      arch: 'x86_64',
      kernel: '5.4.18-110-generic',
      activation: { status: 'licensed', channel: 'retail', expires: '2027-06-30' },
    },
    office: [],
    software: Array.from({ length: entries }, (_, i) => kylinPackage(machine, i)),
    findings: [],
    captureErrors: [],
  };
}

/** The same machine with one more package installed: a one-entry delta away. */
export function withOnePackageInstalled(inventory: Inventory, tag: string): Inventory {
  return {
    ...inventory,
    collectedAt: '2026-11-28T10:00:00+08:00',
    software: [...inventory.software, { id: `bench-extra-${tag}:amd64`, name: `bench-extra-${tag}`, version: '1.0-1', source: 'dpkg', arch: 'amd64' }],
  };
}

/** Enrols `count` agents through POST /agent/enroll, `concurrency` at a time, each with its own hardware. */
export async function enrollAgents(baseUrl: string, token: string, count: number, concurrency = 16): Promise<EnrollResponse[]> {
  const out: EnrollResponse[] = new Array(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const { hostname, hardware } = simulatedInventory(i, 0);
      const res = await fetch(`${baseUrl}/agent/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, hostname, platform: 'linux', agentVersion: '0.1.0', hardware }),
      });
      if (res.status !== 200) throw new Error(`enrolment ${i} refused: HTTP ${res.status} ${await res.text()}`);
      out[i] = (await res.json()) as EnrollResponse;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}

/** A report frame serialised ahead of time, with the seq its ack will carry. */
export interface PreparedReport {
  seq: number;
  text: string;
}

export function prepareFull(seq: number, inventory: Inventory, hash = inventoryHash(inventory)): PreparedReport {
  return { seq, text: JSON.stringify({ v: PROTOCOL_VERSION, type: MessageType.InventoryFull, seq, hash, inventory }) };
}

export function prepareDelta(seq: number, prev: Inventory, next: Inventory): PreparedReport {
  const frame = { v: PROTOCOL_VERSION, type: MessageType.InventoryDelta, seq, baseHash: inventoryHash(prev), hash: inventoryHash(next), delta: diffInventory(prev, next) };
  return { seq, text: JSON.stringify(frame) };
}

/** The server's answer to one report, and how long it took from send to ack. */
export interface AckTiming {
  ack: InventoryAck;
  latencyMs: number;
}

/** One simulated agent's socket. */
export class SimAgent {
  private readonly waiting = new Map<number, { sentAt: number; resolve: (t: AckTiming) => void; reject: (e: Error) => void }>();
  lastSeq = 0;

  private constructor(
    readonly agentId: string,
    readonly socket: WebSocket,
  ) {
    socket.on('message', (data) => {
      const parsed = parseServerFrame(data.toString());
      if (parsed.kind !== 'message') return;
      const message = parsed.message;
      if (message.type === MessageType.InventoryAck) {
        const wait = this.waiting.get(message.seq);
        if (!wait) return;
        this.waiting.delete(message.seq);
        wait.resolve({ ack: message, latencyMs: performance.now() - wait.sentAt });
      } else if (message.type === MessageType.Error && message.seq && message.code !== 'delta.base-mismatch') {
        const wait = this.waiting.get(message.seq);
        this.waiting.delete(message.seq);
        wait?.reject(new Error(`agent ${this.agentId} report ${message.seq}: ${message.code} ${message.message}`));
      }
    });
    socket.on('close', (code, reason) => {
      for (const wait of this.waiting.values()) wait.reject(new Error(`socket closed (${code} ${reason.toString()})`));
      this.waiting.clear();
    });
  }

  /** Opens the socket with the agent's credentials and waits for `server.welcome`. */
  static connect(wsUrl: string, credentials: EnrollResponse): Promise<SimAgent> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${wsUrl}/agent/ws`, {
        headers: { authorization: `${AGENT_AUTH_SCHEME} ${credentials.agentId}:${credentials.secret}` },
        perMessageDeflate: false,
      });
      const agent = new SimAgent(credentials.agentId, socket);
      const onWelcome = (data: WebSocket.RawData) => {
        const parsed = parseServerFrame(data.toString());
        if (parsed.kind === 'message' && parsed.message.type === MessageType.ServerWelcome) {
          agent.lastSeq = parsed.message.lastSeq;
          socket.off('message', onWelcome);
          resolve(agent);
        }
      };
      socket.on('message', onWelcome);
      socket.once('open', () => socket.send(JSON.stringify({ v: PROTOCOL_VERSION, type: MessageType.AgentHello, agentVersion: '0.1.0', platform: 'linux', hostname: 'sim' })));
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
    });
  }

  /** Sends a prepared report; resolves with its ack and the time from send to ack. */
  send(report: PreparedReport): Promise<AckTiming> {
    return new Promise((resolve, reject) => {
      this.waiting.set(report.seq, { sentAt: performance.now(), resolve, reject });
      this.socket.send(report.text);
    });
  }

  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close(1000);
    });
  }
}

/** Connects every agent, `concurrency` handshakes at a time (a burst of 1,000 SYNs overflows the backlog). */
export async function connectAgents(wsUrl: string, credentials: EnrollResponse[], concurrency = 50): Promise<SimAgent[]> {
  const agents: SimAgent[] = new Array(credentials.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < credentials.length; i = next++) agents[i] = await SimAgent.connect(wsUrl, credentials[i]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return agents;
}

/** Percentile (0..100) of a list of numbers, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
