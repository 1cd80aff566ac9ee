import { eq } from 'drizzle-orm';
import { AGENT_AUTH_SCHEME } from '@zhengban/protocol';
import { hexDigestsEqual, sha256Hex } from '../auth/secrets.ts';
import type { Db } from '../db/database.ts';
import { agents } from '../db/schema.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Compared against when the agent id is unknown, so unknown ids take as long as wrong secrets. */
const NO_SUCH_SECRET_HASH = sha256Hex('no such agent');

/** An authenticated agent. */
export interface AgentPrincipal {
  agentId: string;
  orgId: string;
  machineId: string;
  lastSeq: number;
}

export type AgentAuthResult = { ok: true; agent: AgentPrincipal } | { ok: false; code: string; message: string };

/** Splits `Agent <id>:<secret>`; undefined when the header has another shape. */
export function parseAgentAuthorization(header: string | undefined): { agentId: string; secret: string } | undefined {
  if (!header) return undefined;
  const space = header.indexOf(' ');
  if (space < 0 || header.slice(0, space) !== AGENT_AUTH_SCHEME) return undefined;
  const credentials = header.slice(space + 1).trim();
  const colon = credentials.indexOf(':');
  if (colon <= 0) return undefined;
  return { agentId: credentials.slice(0, colon), secret: credentials.slice(colon + 1) };
}

/**
 * Checks the agent credentials of a WebSocket upgrade: the secret's hash is compared in
 * constant time, and a revoked agent is refused with a message that tells it to enrol again.
 */
export async function authenticateAgent(db: Db, header: string | undefined): Promise<AgentAuthResult> {
  const parsed = parseAgentAuthorization(header);
  if (!parsed) {
    return { ok: false, code: 'agent.credentials-missing', message: `send "Authorization: ${AGENT_AUTH_SCHEME} <agent id>:<secret>" (enrol first)` };
  }
  const rejected: AgentAuthResult = { ok: false, code: 'agent.credentials-invalid', message: 'agent id or secret is wrong: enrol again' };
  const row = UUID.test(parsed.agentId)
    ? (await db.select().from(agents).where(eq(agents.id, parsed.agentId.toLowerCase())))[0]
    : undefined;
  const secretMatches = hexDigestsEqual(sha256Hex(parsed.secret), row?.secretHash ?? NO_SUCH_SECRET_HASH);
  if (!row || !secretMatches) return rejected;
  if (row.revokedAt) return { ok: false, code: 'agent.revoked', message: 'this agent was revoked (re-enrolled or removed): enrol again' };
  return { ok: true, agent: { agentId: row.id, orgId: row.orgId, machineId: row.machineId, lastSeq: row.lastSeq } };
}
