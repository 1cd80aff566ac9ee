import { eq, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { settings } from './schema.ts';

/** Known setting keys and the type of their values. */
export interface Settings {
  'org.root-id': string;
  'org.default-unit-id': string;
}

/** A setting's value, or undefined when it was never set. */
export async function getSetting<K extends keyof Settings>(db: Db, key: K): Promise<Settings[K] | undefined> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, key));
  return row?.value as Settings[K] | undefined;
}

/** Sets (inserts or replaces) a setting. */
export async function putSetting<K extends keyof Settings>(db: Db, key: K, value: Settings[K]): Promise<void> {
  await db
    .insert(settings)
    .values({ key, value })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: sql`now()` } });
}
