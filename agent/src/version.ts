/**
 * The agent's version, as a constant so that a bundled single-executable build knows it without
 * reading package.json. Keep it equal to agent/package.json's "version" (a test checks).
 */
export const AGENT_VERSION = '0.1.0';
