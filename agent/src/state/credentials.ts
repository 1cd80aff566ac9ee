import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { isNotFound, writeFileAtomic } from './atomic-file.ts';
import { STATE_FILES } from './paths.ts';

/** What enrolment gives the agent: where to report and how to prove who it is. */
export const Credentials = z.object({
  serverUrl: z.url(),
  agentId: z.string().check(z.minLength(1), z.maxLength(64)),
  secret: z.string().check(z.minLength(32), z.maxLength(256)),
  unitId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  enrolledAt: z.string(),
});
export type Credentials = z.infer<typeof Credentials>;

/** Reads credentials.json; null when the agent is not enrolled. A damaged file is an error. */
export async function readCredentials(stateDir: string): Promise<Credentials | null> {
  const path = join(stateDir, STATE_FILES.credentials);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (isNotFound(err)) return null;
    throw new Error(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${path} is damaged (not JSON); enrol again`);
  }
  const result = Credentials.safeParse(parsed);
  if (!result.success) throw new Error(`${path} is damaged (${result.error.issues[0]?.message}); enrol again`);
  return result.data;
}

/** Saves credentials readable by the owner only (0600): the secret is as good as a password. */
export async function writeCredentials(stateDir: string, credentials: Credentials): Promise<void> {
  await writeFileAtomic(join(stateDir, STATE_FILES.credentials), `${JSON.stringify(credentials, null, 2)}\n`, 0o600);
}
