/**
 * Inspection campaigns (核查: 普查 survey, 抽查 spot check), minimal for issue #4: which units a
 * campaign covers and which inspectors work on it — what the `inspector` role is scoped by.
 */
import { date, index, pgTable, primaryKey, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { orgs, users } from '../schema.ts';

export const CAMPAIGN_KINDS = ['survey', 'spot-check'] as const;

export const inspectionCampaigns = pgTable(
  'inspection_campaigns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The bureau that runs the campaign. */
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    name: varchar('name', { length: 200 }).notNull(),
    /** survey (普查) | spot-check (抽查). */
    kind: varchar('kind', { length: 16 }).notNull(),
    startsOn: date('starts_on', { mode: 'string' }),
    endsOn: date('ends_on', { mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** A closed campaign no longer gives its inspectors access. */
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [index('inspection_campaigns_org_id_idx').on(t.orgId)],
);

export const campaignUnits = pgTable(
  'campaign_units',
  {
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => inspectionCampaigns.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.orgId] }), index('campaign_units_org_id_idx').on(t.orgId)],
);

export const campaignInspectors = pgTable(
  'campaign_inspectors',
  {
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => inspectionCampaigns.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.userId] }), index('campaign_inspectors_user_id_idx').on(t.userId)],
);
