import { sql } from 'drizzle-orm';
import { orgPathInScope, type Scope } from '../access/scope.ts';
import { recordAudit } from '../audit/record.ts';
import { queryRows, type Db } from '../db/database.ts';
import { notFound } from '../errors.ts';
import type { AlertFacts } from './sweep.ts';

/** An alert as the API lists it. */
export interface AlertItem {
  id: string;
  orgId: string;
  orgName: string;
  kind: string;
  subject: string;
  /** One Chinese sentence. */
  message: string;
  /** The figures behind it by kind (AlertFacts); null on alerts raised before they were kept. */
  facts: AlertFacts | null;
  machineId: string | null;
  productId: string | null;
  createdAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

/** Alerts in scope, newest first; open ones only unless `includeAcknowledged`. */
export async function listAlerts(
  db: Db,
  scope: Scope,
  filter: { orgId?: string | undefined; kind?: string | undefined; includeAcknowledged: boolean; limit: number; offset: number },
): Promise<{ alerts: AlertItem[]; total: number }> {
  const where = sql.join(
    [
      orgPathInScope(scope, sql`o.path`),
      filter.orgId ? sql`a.org_id = ${filter.orgId}::uuid` : sql`TRUE`,
      filter.kind ? sql`a.kind = ${filter.kind}` : sql`TRUE`,
      filter.includeAcknowledged ? sql`TRUE` : sql`a.acknowledged_at IS NULL`,
    ],
    sql` AND `,
  );
  const [count] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM alerts a JOIN orgs o ON o.id = a.org_id WHERE ${where}`);
  const alerts = await queryRows<AlertItem>(
    db,
    sql`SELECT a.id, a.org_id AS "orgId", o.name AS "orgName", a.kind, a.subject, a.message, a.facts, a.machine_id AS "machineId",
               a.product_id AS "productId", a.created_at AS "createdAt", a.acknowledged_at AS "acknowledgedAt",
               u.username AS "acknowledgedBy"
        FROM alerts a JOIN orgs o ON o.id = a.org_id LEFT JOIN users u ON u.id = a.acknowledged_by
        WHERE ${where} ORDER BY a.created_at DESC, a.id LIMIT ${filter.limit} OFFSET ${filter.offset}`,
  );
  const iso = (v: string | null) => (v === null ? null : new Date(v).toISOString());
  return { alerts: alerts.map((a) => ({ ...a, createdAt: iso(a.createdAt)!, acknowledgedAt: iso(a.acknowledgedAt) })), total: count?.n ?? 0 };
}

/**
 * Acknowledges an alert (audited, in one transaction). Acknowledging twice is harmless: the
 * first time and person are kept. The route has checked the alert is in the caller's scope.
 */
export async function acknowledgeAlert(db: Db, alertId: string, actor: { userId: string; ip: string | null }): Promise<{ id: string; acknowledgedAt: string }> {
  return db.transaction(async (tx) => {
    const [row] = await queryRows<{ id: string; org_id: string; kind: string; subject: string; acknowledged_at: string; changed: boolean }>(
      tx,
      sql`WITH before AS (SELECT id, acknowledged_at FROM alerts WHERE id = ${alertId}::uuid FOR UPDATE)
          UPDATE alerts a SET acknowledged_at = coalesce(a.acknowledged_at, now()), acknowledged_by = coalesce(a.acknowledged_by, ${actor.userId}::uuid)
          FROM before b WHERE a.id = b.id
          RETURNING a.id, a.org_id, a.kind, a.subject, a.acknowledged_at, (b.acknowledged_at IS NULL) AS changed`,
    );
    if (!row) throw notFound('alert.not-found', `no alert ${alertId}`);
    if (row.changed) {
      await recordAudit(tx, {
        actor: actor,
        action: 'alert.acknowledged',
        targetType: 'alert',
        targetId: row.id,
        orgId: row.org_id,
        before: { acknowledged: false },
        after: { acknowledged: true, kind: row.kind, subject: row.subject },
      });
    }
    return { id: row.id, acknowledgedAt: new Date(row.acknowledged_at).toISOString() };
  });
}
