import { eq, sql } from 'drizzle-orm';
import type { AgentHello } from '@zhengban/protocol';
import type { Db } from '../db/database.ts';
import { agents, machines } from '../db/schema.ts';

/** Marks an agent seen now (it connected). */
export async function touchAgent(db: Db, agentId: string): Promise<void> {
  await db.update(agents).set({ lastSeenAt: sql`now()` }).where(eq(agents.id, agentId));
}

/** Keeps what an agent says about itself in `agent.hello` (it may have been upgraded since enrolling). */
export async function recordAgentHello(db: Db, agentId: string, hello: AgentHello): Promise<void> {
  await db
    .update(agents)
    .set({ agentVersion: hello.agentVersion, platform: hello.platform, lastSeenAt: sql`now()` })
    .where(eq(agents.id, agentId));
}

/**
 * Keeps the address an agent connects from on its machine, so people can find a PC by the IP
 * address they know it by (the machine list's search). Behind NAT or a proxy this is the
 * NAT's address (or, with ZHENGBAN_TRUST_PROXY, the forwarded one).
 */
export async function recordAgentAddress(db: Db, agentId: string, address: string): Promise<void> {
  await db
    .update(machines)
    .set({ lastIp: address.slice(0, 45) })
    .where(sql`${machines.id} = (SELECT ${agents.machineId} FROM ${agents} WHERE ${agents.id} = ${agentId})`);
}
