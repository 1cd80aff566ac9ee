import { AgentTransport, type AgentTransportOptions, type TransportEvent } from './connection.ts';

export type DeliveryResult =
  | { ok: true; acked: number }
  | { ok: false; refused: boolean; message: string };

/**
 * `run --once`: connect, let the server's welcome settle what it already has, send everything in
 * the outbox and wait until every report is acknowledged — or give up after `timeoutMs` with the
 * reason. Credentials the server refuses end it at once (retrying cannot help).
 */
export async function deliverOutboxOnce(options: AgentTransportOptions, timeoutMs: number): Promise<DeliveryResult> {
  let welcomed = false;
  let acked = 0;
  let settle: (result: DeliveryResult) => void = () => {};
  const done = new Promise<DeliveryResult>((resolve) => (settle = resolve));
  const check = () => {
    if (welcomed && options.outbox.length === 0) settle({ ok: true, acked });
  };
  const transport = new AgentTransport({
    ...options,
    onEvent: (event: TransportEvent) => {
      options.onEvent?.(event);
      if (event.type === 'welcome') welcomed = true;
      if (event.type === 'ack') acked++;
      if (event.type === 'refused') settle({ ok: false, refused: true, message: event.message });
      check();
    },
  });
  const timer = setTimeout(() => {
    const pending = options.outbox.length;
    const why = transport.lastFailureReason || (welcomed ? `the server did not acknowledge ${pending} report(s)` : 'the server did not answer');
    settle({ ok: false, refused: false, message: `not delivered within ${Math.round(timeoutMs / 1000)} s: ${why}; ${pending} report(s) stay in the outbox for the next run` });
  }, timeoutMs);
  transport.start();
  const result = await done;
  clearTimeout(timer);
  await transport.stop();
  return result;
}
