import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/database.ts';

/** A machine behind a figure, as the form's drill-down lists it. */
export interface EvidenceMachine {
  hostname: string;
  osFamily: string | null;
  lastSeenAt: string | null;
}

/** A ledger row behind a figure. */
export interface EvidenceLicence {
  productId: string;
  type: string;
  quantity: number;
  licenceCount: number | null;
  startsOn: string | null;
  endsOn: string | null;
  purchasedOn: string | null;
  contractNo: string | null;
}

/**
 * Names for the ids behind the figures (machines and ledger rows), so each figure opens the list of
 * what it counts. Only records still in the unit are named: a machine moved away since a
 * submission is not shown to this unit (its id stays in the frozen evidence).
 */
export async function loadEvidenceLabels(db: Db, orgId: string, ids: { machines: readonly string[]; licences: readonly string[] }) {
  const uuids = (values: readonly string[]) => sql`${sql.param([...new Set(values)])}::text[]::uuid[]`;
  const machines = ids.machines.length
    ? await queryRows<{ id: string; hostname: string; os_family: string | null; last_seen_at: string | Date | null }>(
        db, sql`SELECT id, hostname, os_family, last_seen_at FROM machines WHERE org_id = ${orgId} AND id = ANY(${uuids(ids.machines)})`,
      )
    : [];
  const licences = ids.licences.length
    ? await queryRows<{ id: string; product_id: string; type: string; quantity: number; licence_count: number | null; starts_on: string | null; ends_on: string | null; purchased_on: string | null; contract_no: string | null }>(
        db, sql`SELECT id, product_id, type, quantity, licence_count, starts_on::text AS starts_on, ends_on::text AS ends_on, purchased_on::text AS purchased_on, contract_no
                               FROM licences WHERE org_id = ${orgId} AND id = ANY(${uuids(ids.licences)})`,
      )
    : [];
  return {
    machines: Object.fromEntries(
      machines.map((m): [string, EvidenceMachine] => [m.id, { hostname: m.hostname, osFamily: m.os_family, lastSeenAt: m.last_seen_at === null ? null : new Date(m.last_seen_at).toISOString() }]),
    ),
    licences: Object.fromEntries(
      licences.map((l): [string, EvidenceLicence] => [
        l.id,
        { productId: l.product_id, type: l.type, quantity: Number(l.quantity), licenceCount: l.licence_count === null ? null : Number(l.licence_count), startsOn: l.starts_on, endsOn: l.ends_on, purchasedOn: l.purchased_on, contractNo: l.contract_no },
      ]),
    ),
  };
}
