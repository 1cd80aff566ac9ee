import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/database.ts';
import type { AlertRow } from './sweep.ts';

/** Retry schedule of one delivery: attempts and the first delay, doubled each time. */
export interface WebhookRetry {
  attempts: number;
  firstDelayMs: number;
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_RETRY: WebhookRetry = { attempts: 6, firstDelayMs: 1_000, timeoutMs: 10_000 };

export interface WebhookLog {
  warn(object: object, message: string): void;
}

/** The JSON body a bureau's webhook receives. */
export interface WebhookBody {
  source: 'zhengban';
  alerts: Array<Omit<AlertRow, 'orgPath'>>;
}

/**
 * Groups new alerts by the webhook that should hear them: the nearest org on the alert's path
 * (its own unit, its zone, its bureau...) whose compliance settings name a webhook URL.
 */
export async function groupAlertsByWebhook(db: Db, raised: readonly AlertRow[]): Promise<Map<string, AlertRow[]>> {
  const byUrl = new Map<string, AlertRow[]>();
  if (raised.length === 0) return byUrl;
  const hooks = await queryRows<{ path: string; url: string }>(
    db,
    sql`SELECT o.path, s.webhook_url AS url FROM compliance_settings s JOIN orgs o ON o.id = s.org_id WHERE s.webhook_url IS NOT NULL`,
  );
  hooks.sort((a, b) => b.path.length - a.path.length);
  for (const alert of raised) {
    const hook = hooks.find((h) => alert.orgPath.startsWith(h.path));
    if (!hook) continue;
    const list = byUrl.get(hook.url) ?? [];
    list.push(alert);
    byUrl.set(hook.url, list);
  }
  return byUrl;
}

/**
 * POSTs the alerts as JSON; a network error, a timeout or a non-2xx answer is retried with
 * exponential backoff. Never throws: a receiver that stays down loses these alerts from its feed
 * (they stay in the in-app list) and the failure is logged. Resolves true when delivered.
 */
export async function deliverWebhook(url: string, alerts: readonly AlertRow[], log: WebhookLog, retry: WebhookRetry = DEFAULT_WEBHOOK_RETRY): Promise<boolean> {
  const body: WebhookBody = { source: 'zhengban', alerts: alerts.map(({ orgPath: _p, ...alert }) => alert) };
  const text = JSON.stringify(body);
  let delay = retry.firstDelayMs;
  for (let attempt = 1; attempt <= retry.attempts; attempt++) {
    let reason: string;
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'zhengban-alerts' }, body: text, signal: AbortSignal.timeout(retry.timeoutMs) });
      await res.body?.cancel().catch(() => undefined);
      if (res.ok) return true;
      reason = `HTTP ${res.status}`;
    } catch (error) {
      reason = (error as Error).message;
    }
    if (attempt === retry.attempts) {
      log.warn({ url: redactUrl(url), attempts: attempt, reason, alerts: alerts.length }, 'alert webhook: giving up');
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, delay).unref());
    delay *= 2;
  }
  return false;
}

/** A webhook URL for logs: no credentials or query (tokens often live there). */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
