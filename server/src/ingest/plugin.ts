import fp from 'fastify-plugin';
import { ComplianceWorker } from '../compliance/worker.ts';
import { FrameParser } from './frame-parser.ts';
import { IngestPipeline } from './pipeline.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Applies agents' reports by group commit (ingest/pipeline.ts); the agent sockets submit to it. */
    ingest: IngestPipeline;
    /** Parses agent frames, large ones in worker threads (ingest/frame-parser.ts). */
    frameParser: FrameParser;
    /** Refreshes compliance right after ingests commit (compliance/worker.ts). */
    complianceWorker: ComplianceWorker;
  }
}

/**
 * The ingest pipeline of this process: frames are parsed (large ones in worker threads), reports
 * are applied by group commit, then the compliance worker refreshes the machines they changed.
 * The compliance worker starts with the server (refreshing machines a previous run left dirty);
 * at shutdown the pipeline and the compliance worker finish what they hold before the database
 * closes, and the parser's threads stop.
 */
export default fp(
  async (app) => {
    const worker = new ComplianceWorker(app.db, app.log);
    const pipeline = new IngestPipeline(app.db, { compliance: (ids) => worker.enqueue(ids), log: app.log });
    const frames = new FrameParser(app.log);
    app.decorate('complianceWorker', worker);
    app.decorate('ingest', pipeline);
    app.decorate('frameParser', frames);
    app.addHook('onReady', async () => {
      await worker.start();
    });
    app.addHook('preClose', async () => {
      await pipeline.close();
      await worker.close();
    });
    app.addHook('onClose', async () => {
      await frames.close();
    });
  },
  { name: 'ingest', dependencies: ['context'] },
);
