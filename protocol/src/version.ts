/**
 * Wire protocol version. Every frame carries it as `v`.
 *
 * Compatibility rule:
 * - Within one version, changes are additive only: new message types, and new optional fields on
 *   message envelopes. Receivers ignore fields they do not know (zod strips them) and agents
 *   ignore message types they do not know, so an older agent keeps working against a newer server.
 * - The `Inventory` document is the exception: its hash covers every field (deltas chain on it),
 *   and a receiver that stripped a field it does not know would compute another hash. So any
 *   change to the Inventory's fields, even an optional one, raises the version.
 * - A breaking change raises the version. Servers are upgraded before agents. The server accepts every version listed in
 *   SUPPORTED_PROTOCOL_VERSIONS and answers any other with `error` code
 *   `protocol.unsupported-version` (the agent then needs upgrading); agents send only their own.
 */
export const PROTOCOL_VERSION = 1;
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [1];

export function isSupportedProtocolVersion(v: unknown): boolean {
  return typeof v === 'number' && SUPPORTED_PROTOCOL_VERSIONS.includes(v);
}
