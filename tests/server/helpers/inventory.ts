/** Inventories and report frames for server tests, shaped like what the real agent sends. */
import {
  diffInventory,
  MessageType,
  PROTOCOL_VERSION,
  type Inventory,
  type InventoryDeltaMessage,
  type InventoryFullMessage,
  type Software,
} from '@zhengban/protocol';
import { inventoryHash } from '@zhengban/protocol/hash';

/** A dpkg entry as the agent reports it. */
export function dpkg(name: string, version: string): Software {
  return { id: `${name}:amd64`, name, version, publisher: 'Debian', source: 'dpkg', arch: 'amd64' };
}

/** `count` distinct dpkg packages: pkg-00000 ... */
export function manyPackages(count: number, version = '1.0-1'): Software[] {
  return Array.from({ length: count }, (_, i) => dpkg(`pkg-${String(i).padStart(5, '0')}`, version));
}

/** A Debian PC's inventory with the given software. */
export function debianInventory(software: Software[], overrides: Partial<Inventory> = {}): Inventory {
  return {
    collectedAt: '2026-11-28T10:00:00Z',
    hostname: 'pc-01',
    agentVersion: '0.1.0',
    hardware: {
      uuid: '4c4c4544-0042-3510-8052-b4c04f4e3732',
      serial: 'B45RNC2',
      vendor: 'Dell Inc.',
      model: 'OptiPlex 7090',
      machineId: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      macs: ['b4:45:06:aa:bb:cc'],
      cpu: 'Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz',
      memoryMb: 16_000,
      virtual: false,
    },
    os: {
      family: 'linux',
      product: 'Debian GNU/Linux 12 (bookworm)',
      version: '12',
      arch: 'x86_64',
      kernel: '6.1.0-26-amd64',
      activation: { status: 'unknown', channel: 'unknown' },
    },
    office: [],
    software,
    findings: [],
    captureErrors: [],
    ...overrides,
  };
}

/** An `inventory.full` frame with the correct hash. */
export function fullReport(seq: number, inventory: Inventory): InventoryFullMessage {
  return { v: PROTOCOL_VERSION, type: MessageType.InventoryFull, seq, hash: inventoryHash(inventory), inventory };
}

/** An `inventory.delta` frame that turns `prev` into `next`. */
export function deltaReport(seq: number, prev: Inventory, next: Inventory): InventoryDeltaMessage {
  return {
    v: PROTOCOL_VERSION,
    type: MessageType.InventoryDelta,
    seq,
    baseHash: inventoryHash(prev),
    hash: inventoryHash(next),
    delta: diffInventory(prev, next),
  };
}
