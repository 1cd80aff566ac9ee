/** The issue #5 tables (catalog, ledger, compliance), next to the core tables in ../schema.ts. */
export * from './catalog.ts';
export * from './ledger.ts';
export * from './compliance.ts';
