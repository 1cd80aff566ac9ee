import websocket from '@fastify/websocket';
import fp from 'fastify-plugin';

/**
 * The transport limit of a WebSocket message, above the configured frame limit. Frames between
 * the two are read whole and answered with a typed `frame.too-large` error on a socket that
 * stays open; only beyond this does `ws` itself close the socket (1009), because answering would
 * mean buffering without bound.
 */
export function transportLimitBytes(maxFrameBytes: number): number {
  return maxFrameBytes * 2;
}

/** How long shutdown waits for agents to answer the close handshake. */
const CLOSE_GRACE_MS = 2_000;


/** WebSocket support for the agent endpoint. */
export default fp(
  async (app) => {
    await app.register(websocket, {
      options: { maxPayload: transportLimitBytes(app.config.maxFrameBytes), perMessageDeflate: false },
      // Going away (1001) rather than no code: agents reconnect with backoff to the restarted server.
      preClose(done) {
        const clients = [...app.websocketServer.clients];
        for (const client of clients) client.close(1001, 'server shutting down');
        // Agents that do not answer the close handshake are cut off after a grace period.
        const closed = clients.map((client) => new Promise((resolve) => client.once('close', resolve)));
        const grace = new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref());
        void Promise.race([Promise.all(closed), grace]).then(() => {
          for (const client of app.websocketServer.clients) client.terminate();
          app.websocketServer.close();
          done();
        });
      },
    });
  },
  { name: 'websocket', dependencies: ['context'] },
);
