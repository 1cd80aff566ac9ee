import { defineConfig } from 'drizzle-kit';

/** drizzle-kit generates SQL migrations from the schema; they are committed and applied at start. */
export default defineConfig({
  dialect: 'postgresql',
  // The core tables, plus one file per domain (issue #5: catalog, ledger, compliance).
  schema: ['./src/db/schema.ts', './src/db/schema/catalog.ts', './src/db/schema/ledger.ts', './src/db/schema/compliance.ts',
    // Issue #4: audit log, sign-in throttling, inspection campaigns.
    './src/db/schema/audit.ts', './src/db/schema/sign-in.ts', './src/db/schema/inspections.ts',
    // Issue #6: annual returns, machine retirements.
    './src/db/schema/annual-return.ts', './src/db/schema/machine-retirements.ts',
    // Post-commit compliance: which inventory each machine's compliance was computed from.
    './src/db/schema/compliance-refresh.ts'],
  out: './drizzle',
});
