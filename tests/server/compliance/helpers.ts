/** Units, enrolled machines and Windows inventories for compliance tests. */
import type { Inventory, OfficeSuite, Software } from '@zhengban/protocol';
import { enrollAgent } from '../../../server/src/agents/enroll.ts';
import { createEnrollmentToken } from '../../../server/src/agents/enrollment-tokens.ts';
import type { Database, Db } from '../../../server/src/db/database.ts';
import { insertOrg } from '../../../server/src/orgs/queries.ts';

export interface TestUnit {
  id: string;
  path: string;
  token: string;
}

/** A unit (or zone) under `parentId`, with an enrolment token for its machines. */
export async function createUnit(db: Db, parentId: string, name: string, kind: 'unit' | 'zone' = 'unit'): Promise<TestUnit> {
  const org = await insertOrg(db, { parentId, kind, name, sector: '党政机关', region: '岳麓区' });
  const { token } = await createEnrollmentToken(db, { orgId: org.id, label: `${name} test token` });
  return { ...org, token };
}

let serial = 0;

/** Enrols a machine in a unit through the real enrolment service; distinct hardware each time. */
export async function enrolMachine(database: Database, unit: TestUnit, hostname: string) {
  const { db } = database;
  serial += 1;
  const n = String(serial).padStart(12, '0');
  const response = await enrollAgent(db, {
    token: unit.token,
    hostname,
    platform: 'windows',
    agentVersion: '0.1.0',
    hardware: { uuid: `00000000-0000-4000-8000-${n}`, serial: `SN${n}`, macs: [`02:00:00:${n.slice(6, 8)}:${n.slice(8, 10)}:${n.slice(10, 12)}`] },
  });
  const [agent] = await database.query<{ machine_id: string }>('SELECT machine_id FROM agents WHERE id = $1', [response.agentId]);
  return { agentId: response.agentId, secret: response.secret, machineId: agent!.machine_id };
}

export const registry = (name: string, publisher?: string, version = '1.0'): Software => ({
  id: `{${name}}`,
  name,
  version,
  source: 'registry',
  hive: 'HKLM',
  ...(publisher ? { publisher } : {}),
});

export const officeSuite = (vendor: OfficeSuite['vendor'], product: string, edition: string, kmsHost?: string): OfficeSuite => ({
  vendor,
  product,
  edition,
  scope: 'machine',
  activation: kmsHost ? { status: 'licensed', channel: 'kms', kmsHost } : { status: 'licensed', channel: 'mak' },
});

/** A Windows PC's inventory. */
export function windowsInventory(
  hostname: string,
  input: { os?: [product: string, edition: string, version: string]; kmsHost?: string; office?: OfficeSuite[]; software?: Software[] } = {},
): Inventory {
  const [product, edition, version] = input.os ?? ['Windows 10 Pro', 'Professional', '10'];
  return {
    collectedAt: '2025-06-01T08:00:00+08:00',
    hostname,
    agentVersion: '0.1.0',
    hardware: { macs: [] },
    os: {
      family: 'windows',
      product,
      edition,
      version,
      arch: 'x86_64',
      activation: input.kmsHost ? { status: 'licensed', channel: 'kms', kmsHost: input.kmsHost } : { status: 'licensed', channel: 'retail' },
    },
    office: input.office ?? [],
    software: input.software ?? [],
    findings: [],
    captureErrors: [],
  };
}
