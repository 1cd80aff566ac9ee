import { createReadStream } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { publicAccess } from '../../access/policy.ts';
import { AGENT_BUILD_COMMAND, AGENT_PLATFORMS, DEFAULT_AGENT_DOWNLOADS_DIR, findAgentFile, listAgentDownloads } from '../../agents/downloads.ts';
import { notFound } from '../../errors.ts';

/**
 * GET /agent/downloads — the agent executables this server offers (built or not, size, SHA-256);
 * GET /agent/downloads/<file name> — one of them. Public: a PC being set up downloads the agent with
 * curl or PowerShell before it has any credentials, and the files hold no secret (the enrolment
 * token is what grants anything).
 */
export default async function agentDownloadRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const dir = app.config.agentDownloadsDir ?? DEFAULT_AGENT_DOWNLOADS_DIR;
  const access = publicAccess('agent executables are public release files, downloaded by PCs before they enrol');

  app.get(
    '/agent/downloads',
    { config: { access }, schema: { tags: ['agent'], summary: 'Agent executables for each platform: built or not, size, SHA-256, where to download' } },
    async () => ({ buildCommand: AGENT_BUILD_COMMAND, downloads: await listAgentDownloads(dir) }),
  );

  // One route per file, named as the file, so `curl -O <url>` saves it under its own name.
  for (const { platform, file } of AGENT_PLATFORMS) {
    app.get(
      `/agent/downloads/${file}`,
      { config: { access }, schema: { tags: ['agent'], summary: `Download ${file}, the ${platform} agent (404 with the build command when not built)` } },
      async (_request, reply) => {
        const found = await findAgentFile(dir, platform);
        if (!found) throw notFound('agent-download.not-built', `${file} (${platform}) has not been built on this server: run \`${AGENT_BUILD_COMMAND}\` in its directory`);
        return reply
          .type('application/octet-stream')
          .header('content-length', found.size)
          .header('content-disposition', `attachment; filename="${found.file}"`)
          .send(createReadStream(found.path));
      },
    );
  }
}
