import t from 'tap';
import { Backoff, DEFAULT_BACKOFF, backoffCeilingMs, backoffDelayMs } from '../../../agent/src/transport/backoff.ts';

t.test('reconnect delays start at up to 1 s, double each attempt and never exceed 5 minutes', async (t) => {
  const ceilings = Array.from({ length: 12 }, (_, attempt) => backoffCeilingMs(attempt));
  t.same(ceilings.slice(0, 6), [1_000, 2_000, 4_000, 8_000, 16_000, 32_000]);
  t.equal(ceilings[9], 300_000, 'the 5-minute cap is reached after nine failures');
  t.equal(backoffCeilingMs(10_000), 300_000, 'a huge attempt count stays at the cap (no overflow)');
  for (let attempt = 0; attempt < 40; attempt++) {
    const highest = backoffDelayMs(attempt, DEFAULT_BACKOFF, () => 0.999999);
    const lowest = backoffDelayMs(attempt, DEFAULT_BACKOFF, () => 0);
    t.ok(lowest >= 0 && highest <= backoffCeilingMs(attempt), `attempt ${attempt} stays within [0, ceiling]`);
  }
});

t.test('delays are jittered over the whole range, so agents that lost the server together do not return together', async (t) => {
  const delays = Array.from({ length: 200 }, () => backoffDelayMs(8));
  const ceiling = backoffCeilingMs(8);
  t.ok(new Set(delays).size > 150, 'almost every delay differs');
  t.ok(delays.some((d) => d < ceiling / 4), 'some agents come back early');
  t.ok(delays.some((d) => d > (ceiling * 3) / 4), 'some come back late');
});

t.test('a stable connection resets the backoff to the start', async (t) => {
  const backoff = new Backoff({ baseMs: 100, capMs: 10_000 }, () => 1);
  t.same([backoff.nextDelayMs(), backoff.nextDelayMs(), backoff.nextDelayMs()], [100, 200, 400]);
  backoff.reset();
  t.equal(backoff.nextDelayMs(), 100);
});
