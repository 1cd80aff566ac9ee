/**
 * The agent executables the server hands out (部署 page, install commands): the files
 * `npm run build:agent` writes to dist/agent, with their size and SHA-256 so an installer can check
 * what it downloaded. The names match agent/scripts/build/targets.ts.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run build:agent` puts the executables (the repository's dist/agent). */
export const DEFAULT_AGENT_DOWNLOADS_DIR = fileURLToPath(new URL('../../../dist/agent', import.meta.url));

/** The command that builds them, for the message shown while they are missing. */
export const AGENT_BUILD_COMMAND = 'npm run build:agent';

export const AGENT_PLATFORMS = [
  { platform: 'win-x64', os: 'windows', file: 'zhengban-agent-win-x64.exe' },
  { platform: 'linux-x64', os: 'linux', file: 'zhengban-agent-linux-x64' },
  { platform: 'linux-arm64', os: 'linux', file: 'zhengban-agent-linux-arm64' },
] as const;
export type AgentPlatform = (typeof AGENT_PLATFORMS)[number]['platform'];

export interface AgentDownload {
  platform: AgentPlatform;
  os: 'windows' | 'linux';
  file: string;
  /** Where the file is served: GET this path on the server. */
  path: string;
  built: boolean;
  size: number | null;
  sha256: string | null;
  builtAt: string | null;
}

/**
 * SHA-256 by file, kept while the file's size and modification time stay the same: hashing three
 * ~90 MiB executables takes a second, the deployment page asks on every visit.
 */
const hashCache = new Map<string, { size: number; mtimeMs: number; sha256: Promise<string> }>();

function sha256Of(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

async function cachedSha256(path: string, size: number, mtimeMs: number): Promise<string> {
  const cached = hashCache.get(path);
  if (cached && cached.size === size && cached.mtimeMs === mtimeMs) return cached.sha256;
  const sha256 = sha256Of(path);
  hashCache.set(path, { size, mtimeMs, sha256 });
  // A failed read must not stay cached.
  sha256.catch(() => hashCache.delete(path));
  return sha256;
}

/** The file of a platform, or undefined when it is not built. */
export async function findAgentFile(dir: string, platform: AgentPlatform): Promise<{ path: string; file: string; size: number } | undefined> {
  const { file } = AGENT_PLATFORMS.find((p) => p.platform === platform)!;
  const path = join(dir, file);
  const info = await stat(path).catch(() => undefined);
  return info?.isFile() ? { path, file, size: info.size } : undefined;
}

/** Every platform, built or not, with size and SHA-256 of the built ones. */
export async function listAgentDownloads(dir: string): Promise<AgentDownload[]> {
  return Promise.all(
    AGENT_PLATFORMS.map(async ({ platform, os, file }) => {
      const path = join(dir, file);
      const info = await stat(path).catch(() => undefined);
      const base = { platform, os, file, path: `/agent/downloads/${file}` };
      if (!info?.isFile()) return { ...base, built: false, size: null, sha256: null, builtAt: null };
      return { ...base, built: true, size: info.size, sha256: await cachedSha256(path, info.size, info.mtimeMs), builtAt: info.mtime.toISOString() };
    }),
  );
}
