/**
 * Wire protocol version. Every frame carries it as `v`.
 *
 * Compatibility rule:
 * - Within one version, changes are additive only: new optional fields and new message types.
 *   Receivers ignore fields they do not know (zod strips them) and agents ignore message types
 *   they do not know, so an older agent keeps working against a newer server.
 * - A breaking change raises the version. The server accepts every version listed in
 *   SUPPORTED_PROTOCOL_VERSIONS and answers any other with `error` code
 *   `protocol.unsupported-version` (the agent then needs upgrading); agents send only their own.
 */
export const PROTOCOL_VERSION = 1;
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [1];

export function isSupportedProtocolVersion(v: unknown): boolean {
  return typeof v === 'number' && SUPPORTED_PROTOCOL_VERSIONS.includes(v);
}
