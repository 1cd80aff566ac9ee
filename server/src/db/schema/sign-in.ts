/**
 * Failed sign-ins per account and per client address (issue #4): counted in the database so every
 * server node sees the same lockouts.
 */
import { integer, pgTable, timestamp, varchar } from 'drizzle-orm/pg-core';

export const loginThrottle = pgTable('login_throttle', {
  /** `account:<username>` or `address:<ip>`; usernames that do not exist are counted the same way. */
  key: varchar('key', { length: 128 }).primaryKey(),
  failures: integer('failures').notNull(),
  /** Start of the counting window; failures older than the window are forgotten. */
  windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
});
