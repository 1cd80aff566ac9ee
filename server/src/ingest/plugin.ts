import fp from 'fastify-plugin';
import { ComplianceWorker } from '../compliance/worker.ts';
import { IngestPipeline } from './pipeline.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Applies agents' reports by group commit (ingest/pipeline.ts); the agent sockets submit to it. */
    ingest: IngestPipeline;
    /** Refreshes compliance right after ingests commit (compliance/worker.ts). */
    complianceWorker: ComplianceWorker;
  }
}

/**
 * The ingest pipeline of this process: reports are applied by group commit, then the compliance
 * worker refreshes the machines they changed. The worker starts with the server (refreshing
 * machines a previous run left dirty); at shutdown both finish what they hold before the
 * database closes.
 */
export default fp(
  async (app) => {
    const worker = new ComplianceWorker(app.db, app.log);
    const pipeline = new IngestPipeline(app.db, { compliance: (ids) => worker.enqueue(ids), log: app.log });
    app.decorate('complianceWorker', worker);
    app.decorate('ingest', pipeline);
    app.addHook('onReady', async () => {
      await worker.start();
    });
    app.addHook('preClose', async () => {
      await pipeline.close();
      await worker.close();
    });
  },
  { name: 'ingest', dependencies: ['context'] },
);
