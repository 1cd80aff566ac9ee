import { sql, type SQL } from 'drizzle-orm';
import { annualReturnReminderCandidates } from '../annual-return/reminders.ts';
import { loadRuleSet } from '../catalog/queries.ts';
import { recomputeUnitProducts, todayInChina } from '../compliance/recompute.ts';
import { queryRows, type Db } from '../db/database.ts';
import { settings } from '../db/schema.ts';

/**
 * The alert sweep (告警巡检). Alerts are raised from what the database already says, so a sweep
 * can run on any server process, any number of times: each condition occurrence has a stable
 * subject, and an occurrence already alerted (acknowledged or not) is never alerted again. The
 * partial unique index (org, kind, subject) WHERE not acknowledged keeps one open alert per subject
 * even when two processes sweep at once.
 */

/** How many days ahead a subscription's end raises `subscription.expiring`. */
export const EXPIRY_WARNING_DAYS = 30;
/** How long a machine may stay silent before `machine.silent`. */
export const SILENT_AFTER_DAYS = 7;
/** Where the day of the last sweep is kept (the settings table), to find lapsed subscriptions. */
const LAST_SWEEP_KEY = 'alerts.last-sweep-day';

/** One alert as stored and as the webhook sends it. */
export interface AlertRow {
  id: string;
  orgId: string;
  orgPath: string;
  kind: string;
  subject: string;
  message: string;
  facts: AlertFacts | null;
  machineId: string | null;
  productId: string | null;
  createdAt: string;
}

/**
 * The figures behind an alert, by kind: `subscription.expiring` {endsOn, quantity, contractNo};
 * `licence.shortfall` {shortfall, installs, covered}; `finding.opened` {hostname, code, severity,
 * origin, subject, evidence}; `machine.silent` {hostname, lastSeenAt (ISO)}; `annual-return.due` {year,
 * dueDate, daysLeft (negative: overdue)}. The product, when there is one, is the alert's productId.
 */
export type AlertFacts = Record<string, string | number | null>;

export interface SweepResult {
  /** Alerts raised by this sweep. */
  raised: AlertRow[];
  /** Unit x product positions recomputed because a subscription started or lapsed since the last sweep. */
  recomputed: number;
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Subscriptions that lapsed (ended before today) or began since the last sweep change positions
 * with no ingest or ledger change to trigger a recompute: recompute those unit x product groups.
 * The first sweep ever takes every such subscription.
 */
async function recomputeChangedSubscriptions(db: Db, today: string): Promise<number> {
  const [last] = await queryRows<{ day: string }>(db, sql`SELECT value #>> '{}' AS day FROM ${settings} WHERE key = ${LAST_SWEEP_KEY}`);
  const since = last?.day ?? '0001-01-01';
  const due = await queryRows<{ org_id: string; path: string; product_id: string }>(
    db,
    sql`SELECT DISTINCT l.org_id, o.path, l.product_id FROM licences l JOIN orgs o ON o.id = l.org_id
        WHERE (l.ends_on IS NOT NULL AND l.ends_on < ${today}::date AND l.ends_on >= ${since}::date - 1)
           OR (l.starts_on IS NOT NULL AND l.starts_on <= ${today}::date AND l.starts_on > ${since}::date)`,
  );
  const byUnit = new Map<string, { path: string; products: string[] }>();
  for (const row of due) {
    const unit = byUnit.get(row.org_id) ?? { path: row.path, products: [] };
    unit.products.push(row.product_id);
    byUnit.set(row.org_id, unit);
  }
  for (const [orgId, unit] of byUnit) await recomputeUnitProducts(db, { orgId, orgPath: unit.path }, unit.products, { asOf: today });
  await db
    .insert(settings)
    .values({ key: LAST_SWEEP_KEY, value: today })
    .onConflictDoUpdate({ target: settings.key, set: { value: today, updatedAt: sql`now()` } });
  return due.length;
}

/** Severity names in the messages (the dashboard's finding-codes.ts SEVERITY_NAMES). */
const SEVERITY_ZH = sql`CASE f.severity WHEN 'critical' THEN '严重' WHEN 'high' THEN '高' WHEN 'medium' THEN '中' WHEN 'low' THEN '低' ELSE '提示' END`;

/**
 * Inserts the alerts of every condition not alerted yet, in one transaction; returns the new ones.
 * Each alert carries a Chinese sentence (`message`: what a bureau's chat bot posts) and the
 * figures behind it (`facts`, see AlertFacts), from which the dashboard says it in either language.
 */
async function raiseAlerts(db: Db, today: string, now: Date, productNames: ReadonlyMap<string, string>): Promise<AlertRow[]> {
  const expiryLimit = addDays(today, EXPIRY_WARNING_DAYS);
  const silentSince = new Date(now.getTime() - SILENT_AFTER_DAYS * 86_400_000).toISOString();
  const nameOf = (productId: SQL) => sql`coalesce((SELECT pn.name FROM product_names pn WHERE pn.id = ${productId}), ${productId})`;
  return db.transaction(async (tx) => {
    const rows = await queryRows<AlertRow>(
      tx,
      sql`WITH product_names AS (
          SELECT * FROM unnest(${sql.param([...productNames.keys()])}::text[], ${sql.param([...productNames.values()])}::text[]) AS pn(id, name)
        ),
        candidates AS (
            -- A subscription ends within 30 days (one alert per licence and end date).
            SELECT l.org_id, 'subscription.expiring' AS kind, 'licence:' || l.id || ':' || l.ends_on AS subject,
                   '订阅授权即将到期：' || ${nameOf(sql`l.product_id`)} || ' ' || l.quantity || ' 套，' || l.ends_on || ' 到期' AS message,
                   jsonb_build_object('endsOn', l.ends_on::text, 'quantity', l.quantity, 'contractNo', l.contract_no) AS facts,
                   NULL::uuid AS machine_id, l.product_id
            FROM licences l
            WHERE l.type = 'subscription' AND l.ends_on >= ${today}::date AND l.ends_on <= ${expiryLimit}::date
          UNION ALL
            -- A shortfall began, lapsed subscriptions included (one alert per position and the
            -- opening of its oldest open uncovered-install finding: a shortfall that ends and
            -- comes back is a new one).
            SELECT p.org_id, 'licence.shortfall', 'shortfall:' || p.product_id || ':' || extract(epoch FROM min(f.opened_at))::bigint,
                   '授权不足：' || ${nameOf(sql`p.product_id`)} || ' 缺 ' || p.shortfall || ' 套（安装 ' || p.installs || ' 台，已有授权覆盖 ' || p.covered || ' 台）',
                   jsonb_build_object('shortfall', p.shortfall, 'installs', p.installs, 'covered', p.covered),
                   NULL::uuid, p.product_id
            FROM licence_positions p
            JOIN machine_findings f ON f.org_id = p.org_id AND f.code IN ('licence.shortfall', 'licence.subscription-expired') AND f.subject = p.product_id AND f.closed_at IS NULL
            WHERE p.shortfall > 0
            GROUP BY p.org_id, p.product_id, p.shortfall, p.installs, p.covered
          UNION ALL
            -- A finding opened (uncovered installs are alerted per position above).
            SELECT f.org_id, 'finding.opened', 'finding:' || f.id,
                   -- The server's own findings keep English evidence: their subject (a KMS host, a product) says it.
                   '新问题：' || m.hostname || ' ' || f.code || '（' || ${SEVERITY_ZH} || '）'
                     || coalesce('：' || CASE WHEN f.origin = 'server' THEN f.subject ELSE left(f.evidence, 1500) END, ''),
                   jsonb_build_object('hostname', m.hostname, 'code', f.code, 'severity', f.severity, 'origin', f.origin, 'subject', f.subject, 'evidence', left(f.evidence, 1500)),
                   f.machine_id, NULL
            FROM machine_findings f JOIN machines m ON m.id = f.machine_id
            WHERE f.closed_at IS NULL AND f.code NOT IN ('licence.shortfall', 'licence.subscription-expired')
          UNION ALL
            -- A machine in use has not reported for 7 days (one alert per silence; a retired one is expected to be silent).
            SELECT m.org_id, 'machine.silent', 'machine:' || m.id || ':' || extract(epoch FROM m.last_seen_at)::bigint,
                   '计算机失联：' || m.hostname || ' 自 ' || to_char(m.last_seen_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') || ' 起未上报',
                   jsonb_build_object('hostname', m.hostname, 'lastSeenAt', to_char(m.last_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
                   m.id, NULL
            FROM machines m
            WHERE m.last_seen_at IS NOT NULL AND m.last_seen_at < ${silentSince}::timestamptz AND m.retired_at IS NULL
          UNION ALL
            -- A unit has not submitted its annual return: 30 and 7 days before 10 December, the last day, once overdue.
            ${annualReturnReminderCandidates(today)}
        ),
        inserted AS (
          INSERT INTO alerts (org_id, kind, subject, message, facts, machine_id, product_id)
          SELECT c.org_id, c.kind, left(c.subject, 200), left(c.message, 2000), c.facts, c.machine_id, c.product_id FROM candidates c
          WHERE NOT EXISTS (SELECT 1 FROM alerts a WHERE a.org_id = c.org_id AND a.kind = c.kind AND a.subject = left(c.subject, 200))
          ON CONFLICT DO NOTHING
          RETURNING *
        )
        SELECT i.id, i.org_id AS "orgId", o.path AS "orgPath", i.kind, i.subject, i.message, i.facts, i.machine_id AS "machineId",
               i.product_id AS "productId", i.created_at AS "createdAt"
        FROM inserted i JOIN orgs o ON o.id = i.org_id ORDER BY i.kind, i.subject`,
    );
    return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt).toISOString() }));
  });
}

/**
 * One sweep: first the positions that changed with the calendar (so a lapsed subscription's
 * shortfall is alerted in the same sweep), then the alerts. `now` is for tests that move time.
 */
export async function sweepAlerts(db: Db, options: { now?: Date } = {}): Promise<SweepResult> {
  const now = options.now ?? new Date();
  const today = todayInChina(now.getTime());
  const recomputed = await recomputeChangedSubscriptions(db, today);
  const { ruleSet } = await loadRuleSet(db);
  const raised = await raiseAlerts(db, today, now, new Map([...ruleSet.products.values()].map((p) => [p.id, p.name])));
  return { raised, recomputed };
}
