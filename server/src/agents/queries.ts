import { eq, sql } from 'drizzle-orm';
import type { AgentHello } from '@zhengban/protocol';
import type { Db } from '../db/database.ts';
import { agents } from '../db/schema.ts';

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
