import { and, asc, desc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import { alias, type AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Hardware } from '@zhengban/protocol';
import { scopeWhere, type Scope } from '../access/scope.ts';
import type { Db } from '../db/database.ts';
import { agents, machineSoftware, machines, orgs, users } from '../db/schema.ts';
import { machineRetirements } from '../db/schema/machine-retirements.ts';
import type { MachineCandidate, MachineIdentity } from './identity.ts';

/** Stored machines of one org that share any identifying value with `identity`. */
export async function findMachineCandidates(db: Db, orgId: string, identity: MachineIdentity): Promise<MachineCandidate[]> {
  const anyOf: SQL[] = [];
  if (identity.uuid) anyOf.push(eq(machines.hardwareUuid, identity.uuid));
  if (identity.serial) anyOf.push(eq(machines.hardwareSerial, identity.serial));
  if (identity.osMachineId) anyOf.push(eq(machines.osMachineId, identity.osMachineId));
  if (anyOf.length === 0) return [];
  const rows = await db
    .select({
      id: machines.id,
      uuid: machines.hardwareUuid,
      serial: machines.hardwareSerial,
      osMachineId: machines.osMachineId,
      macs: machines.macs,
      agentless: sql<boolean>`NOT EXISTS (SELECT 1 FROM ${agents} WHERE ${agents.machineId} = ${machines.id})`,
    })
    .from(machines)
    .where(and(eq(machines.orgId, orgId), or(...anyOf)))
    .orderBy(sql`${machines.lastSeenAt} DESC NULLS LAST`, desc(machines.firstSeenAt))
    .limit(100);
  return rows.map((r) => ({
    id: r.id,
    uuid: r.uuid ?? undefined,
    serial: r.serial ?? undefined,
    osMachineId: r.osMachineId ?? undefined,
    macs: r.macs,
    agentless: r.agentless,
  }));
}

/** Columns that carry a machine's identity, from its normalised identity and raw hardware report. */
function identityColumns(identity: MachineIdentity, hardware: Hardware | undefined) {
  return {
    hardwareUuid: identity.uuid ?? null,
    hardwareSerial: identity.serial ?? null,
    osMachineId: identity.osMachineId ?? null,
    macs: identity.macs,
    hardwareVendor: hardware?.vendor ?? null,
    hardwareModel: hardware?.model ?? null,
  };
}

/**
 * The identity columns to update from a newer report. Values the report lacks keep what is
 * stored: an agent that lost the rights to read the serial must not erase what identifies the
 * PC at its next re-enrolment. Values it has (a replaced network card) win.
 */
export function identityUpdate(identity: MachineIdentity, hardware: Hardware | undefined) {
  const keep = (column: AnyPgColumn) => sql`${column}`;
  return {
    hardwareUuid: identity.uuid ?? keep(machines.hardwareUuid),
    hardwareSerial: identity.serial ?? keep(machines.hardwareSerial),
    osMachineId: identity.osMachineId ?? keep(machines.osMachineId),
    macs: identity.macs.length ? identity.macs : keep(machines.macs),
    hardwareVendor: hardware?.vendor ?? keep(machines.hardwareVendor),
    hardwareModel: hardware?.model ?? keep(machines.hardwareModel),
  };
}

/** Registers a machine seen for the first time (at enrolment: no inventory yet). */
export async function insertMachine(
  db: Db,
  input: { orgId: string; hostname: string; identity: MachineIdentity; hardware: Hardware | undefined },
): Promise<string> {
  const [row] = await db
    .insert(machines)
    .values({ orgId: input.orgId, hostname: input.hostname, ...identityColumns(input.identity, input.hardware) })
    .returning({ id: machines.id });
  return row!.id;
}

/** What every view of a machine shows (the list adds its own columns, the detail page more). */
export const machineSummaryColumns = {
  id: machines.id,
  hostname: machines.hostname,
  org: { id: orgs.id, name: orgs.name },
  os: {
    family: machines.osFamily,
    product: machines.osProduct,
    edition: machines.osEdition,
    version: machines.osVersion,
    arch: machines.osArch,
  },
  activation: {
    status: machines.osActivationStatus,
    channel: machines.osActivationChannel,
    kmsHost: machines.osKmsHost,
    expires: machines.osActivationExpires,
  },
  softwareCount: machines.softwareCount,
  agentVersion: machines.agentVersion,
  collectedAt: machines.collectedAt,
  firstSeenAt: machines.firstSeenAt,
  lastSeenAt: machines.lastSeenAt,
};

/**
 * One machine with everything the detail page shows, or undefined when it does not exist or
 * lies outside the scope (the caller cannot tell which: no probing other units' ids).
 */
export async function getMachineDetail(db: Db, scope: Scope, id: string) {
  const [machine] = await db
    .select({
      ...machineSummaryColumns,
      hardware: {
        uuid: machines.hardwareUuid,
        serial: machines.hardwareSerial,
        vendor: machines.hardwareVendor,
        model: machines.hardwareModel,
        osMachineId: machines.osMachineId,
        macs: machines.macs,
      },
      osBuild: machines.osBuild,
      osKernel: machines.osKernel,
      inventory: machines.inventory,
      inventoryHash: machines.inventoryHash,
      evidenceSha256: machines.evidenceSha256,
      registration: {
        registeredBy: sql<string | null>`(SELECT ${users.username} FROM ${users} WHERE ${users.id} = ${machines.registeredBy})`,
        assetTag: machines.assetTag,
        department: machines.department,
        note: machines.note,
      },
      retiredAt: machines.retiredAt,
    })
    .from(machines)
    .innerJoin(orgs, eq(orgs.id, machines.orgId))
    .where(and(eq(machines.id, id), scopeWhere(scope, machines.orgId)));
  if (!machine) return undefined;

  const [software, machineAgents, retirements] = await Promise.all([
    db
      .select({
        key: machineSoftware.key,
        id: machineSoftware.softwareId,
        name: machineSoftware.name,
        version: machineSoftware.version,
        publisher: machineSoftware.publisher,
        installDate: machineSoftware.installDate,
        source: machineSoftware.source,
        hive: machineSoftware.hive,
        arch: machineSoftware.arch,
      })
      .from(machineSoftware)
      .where(eq(machineSoftware.machineId, id))
      .orderBy(asc(machineSoftware.name), asc(machineSoftware.key)),
    db
      .select({
        id: agents.id,
        platform: agents.platform,
        agentVersion: agents.agentVersion,
        lastSeq: agents.lastSeq,
        enrolledAt: agents.enrolledAt,
        lastSeenAt: agents.lastSeenAt,
        revokedAt: agents.revokedAt,
      })
      .from(agents)
      .where(and(eq(agents.machineId, id), isNull(agents.revokedAt)))
      .orderBy(desc(agents.enrolledAt)),
    listMachineRetirements(db, id),
  ]);

  const { inventory, osBuild, osKernel, ...rest } = machine;
  return {
    ...rest,
    os: { ...rest.os, build: osBuild, kernel: osKernel },
    hardware: { ...rest.hardware, cpu: inventory?.hardware.cpu ?? null, memoryMb: inventory?.hardware.memoryMb ?? null, virtual: inventory?.hardware.virtual ?? null },
    office: inventory?.office ?? [],
    findings: inventory?.findings ?? [],
    captureErrors: inventory?.captureErrors ?? [],
    agents: machineAgents,
    software,
    /** Every retirement period, newest first; the first is open while the machine is retired. */
    retirements,
  };
}

/** A machine's retirements (报废/停用), newest first, with the usernames of who retired and restored it. */
export async function listMachineRetirements(db: Db, machineId: string) {
  const retiredBy = alias(users, 'retired_by_user');
  const restoredBy = alias(users, 'restored_by_user');
  return db
    .select({
      id: machineRetirements.id,
      retiredAt: machineRetirements.retiredAt,
      retiredBy: retiredBy.username,
      reason: machineRetirements.reason,
      restoredAt: machineRetirements.restoredAt,
      restoredBy: restoredBy.username,
      restoreReason: machineRetirements.restoreReason,
    })
    .from(machineRetirements)
    .leftJoin(retiredBy, eq(retiredBy.id, machineRetirements.retiredBy))
    .leftJoin(restoredBy, eq(restoredBy.id, machineRetirements.restoredBy))
    .where(eq(machineRetirements.machineId, machineId))
    .orderBy(desc(machineRetirements.retiredAt), desc(machineRetirements.id));
}
