import type { FastifyInstance } from 'fastify';
import { sweepAlerts } from './sweep.ts';
import { deliverWebhook, groupAlertsByWebhook, type WebhookRetry } from './webhook.ts';

/**
 * Runs one sweep and hands its new alerts to the webhooks. The deliveries run detached: the
 * sweep's transaction has committed before any POST starts, and a slow or dead receiver holds
 * up neither the next sweep nor any ingest. Returns the sweep and the pending deliveries.
 */
export async function runAlertSweep(app: FastifyInstance, options: { now?: Date; retry?: WebhookRetry } = {}) {
  const result = await sweepAlerts(app.db, options.now ? { now: options.now } : {});
  const deliveries: Promise<boolean>[] = [];
  for (const [url, alerts] of await groupAlertsByWebhook(app.db, result.raised)) {
    deliveries.push(deliverWebhook(url, alerts, app.log, options.retry));
  }
  return { ...result, deliveries };
}

/**
 * The periodic sweep of this process (every `alertSweepSeconds`; 0 = none). Sweeps never overlap
 * within a process; across processes the alerts' unique index keeps them from doubling.
 */
export function startAlertSweeps(app: FastifyInstance, intervalSeconds: number): void {
  if (intervalSeconds <= 0) return;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    timer = setInterval(() => {
      if (running) return;
      running = true;
      runAlertSweep(app)
        .catch((error: unknown) => app.log.warn({ err: error }, 'alert sweep failed; the next one retries'))
        .finally(() => (running = false));
    }, intervalSeconds * 1000);
    timer.unref();
  });
  app.addHook('preClose', async () => clearInterval(timer));
}
