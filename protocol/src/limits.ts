/**
 * Size limits shared by the wire schemas and the database columns they land in.
 * Change both together (server/src/db/schema.ts uses these constants).
 */
export const MAX_NAME_LENGTH = 512;
export const MAX_VERSION_LENGTH = 128;
export const MAX_PUBLISHER_LENGTH = 256;
export const MAX_ID_LENGTH = 512;
export const MAX_HOSTNAME_LENGTH = 255;
export const MAX_TEXT_LENGTH = 4096;
/** Real machines carry a few thousand entries; 20,000 leaves room without letting one agent flood. */
export const MAX_SOFTWARE_ENTRIES = 20_000;
export const MAX_FINDINGS = 500;
export const MAX_OFFICE_SUITES = 50;
export const MAX_MACS = 64;
