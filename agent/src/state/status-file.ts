import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { isNotFound, writeFileAtomic } from './atomic-file.ts';
import { STATE_FILES } from './paths.ts';

export const CONNECTION_STATES = ['starting', 'connecting', 'connected', 'disconnected', 'revoked', 'stopped'] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

/**
 * What a running agent tells `zhengban-agent status` through status.json: it is rewritten on every
 * change of connection state, report and ack, so another process can read it without talking to
 * the agent.
 */
export const AgentStatus = z.object({
  pid: z.int(),
  startedAt: z.string(),
  updatedAt: z.string(),
  connection: z.enum(CONNECTION_STATES),
  /** Why the connection is not up (last error), when it is not. */
  connectionDetail: z.optional(z.string()),
  lastReport: z.optional(z.object({ seq: z.int(), kind: z.enum(['full', 'delta']), at: z.string() })),
  lastAck: z.optional(z.object({ seq: z.int(), result: z.string(), at: z.string() })),
  /** The last scan: when it ended and, when it failed, why (the agent keeps running either way). */
  lastScan: z.optional(z.object({ at: z.string(), ok: z.boolean(), error: z.optional(z.string()) })),
  outboxLength: z.int().check(z.nonnegative()),
});
export type AgentStatus = z.infer<typeof AgentStatus>;

/** Writes status.json (atomically: a reader never sees half of it). */
export async function writeAgentStatus(stateDir: string, status: AgentStatus): Promise<void> {
  await writeFileAtomic(join(stateDir, STATE_FILES.status), `${JSON.stringify(status, null, 2)}\n`);
}

/** Reads status.json; null when no agent has run here or the file is unreadable. */
export async function readAgentStatus(stateDir: string): Promise<AgentStatus | null> {
  try {
    const parsed = AgentStatus.safeParse(JSON.parse(await readFile(join(stateDir, STATE_FILES.status), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch (err) {
    if (isNotFound(err) || err instanceof SyntaxError) return null;
    throw err;
  }
}
