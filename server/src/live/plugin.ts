import fp from 'fastify-plugin';
import { LiveBus } from './bus.ts';
import { notifyLive, type LiveEventInput } from './events.ts';
import { startLiveListener, type LiveListenerHandle } from './listener.ts';
import { closeRevokedAgentsOnEveryNode } from '../agent-socket/revocation.ts';
import { watchMachineEvents } from './machine-events.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** This process's live event bus (`/api/live` subscribes to it). */
    live: LiveBus;
    /** Publishes events outside a transaction (agent online/offline, enrolment). */
    publishLive(events: readonly LiveEventInput[]): Promise<void>;
  }
}

/**
 * Live events: the bus, fed by the database listener (this process's and every other process's
 * NOTIFYs). The listener starts with the server and stops before the database closes.
 */
export default fp(
  async (app) => {
    const bus = new LiveBus();
    app.decorate('live', bus);
    app.decorate('publishLive', async (events: readonly LiveEventInput[]) => {
      try {
        await notifyLive(app.db, events);
      } catch (error) {
        // Live events are a view; losing one must never fail the request or the agent socket.
        app.log.warn({ err: error }, 'live events: publishing failed');
      }
    });
    watchMachineEvents(app);
    closeRevokedAgentsOnEveryNode(app);
    let listener: LiveListenerHandle | undefined;
    app.addHook('onReady', async () => {
      listener = await startLiveListener(app.database, app.config.databaseUrl, (events) => bus.publish(events), app.log);
    });
    app.addHook('preClose', async () => {
      await listener?.close();
    });
  },
  { name: 'live', dependencies: ['context', 'websocket'] },
);
