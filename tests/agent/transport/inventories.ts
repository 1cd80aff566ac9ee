import type { Inventory } from '@zhengban/protocol';

/** A plain Debian machine's inventory with the given dpkg packages (name@version). */
export function inventoryWith(packages: string[], collectedAt = '2026-11-28T10:00:00Z'): Inventory {
  return {
    collectedAt,
    hostname: 'pc-01',
    agentVersion: '0.1.0',
    hardware: { macs: ['52:54:00:12:34:56'], uuid: '4c4c4544-0042-3510-8052-b4c04f4e3732' },
    os: { family: 'linux', product: 'Debian GNU/Linux 12 (bookworm)', version: '12', arch: 'x86_64', activation: { status: 'unknown', channel: 'unknown' } },
    office: [],
    software: packages.map((p) => {
      const [name, version] = p.split('@');
      return { id: `${name}:amd64`, name: name!, version: version ?? '1.0', source: 'dpkg' as const, arch: 'amd64' };
    }),
    findings: [],
    captureErrors: [],
  };
}
