import websocket from '@fastify/websocket';
import fp from 'fastify-plugin';
import { AgentConnections } from '../agent-socket/registry.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The live agent sockets of this process (revocation closes them at once). */
    agentConnections: AgentConnections;
  }
}

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

/** Socket errors a peer or the network causes: a dropped Wi-Fi, a NAT reset, a broken agent. */
const NETWORK_ERROR_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * True for errors the other end caused: `ws` protocol violations (invalid UTF-8 in a text frame,
 * a message over the transport limit, a bad opcode: codes `WS_ERR_*`, and `ws` has already sent
 * the matching close code) and network failures. They say nothing is wrong with the server, so
 * they must not be logged as errors: thousands of agents on flaky networks would bury real ones.
 */
export function isPeerSocketError(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' && (code.startsWith('WS_ERR_') || NETWORK_ERROR_CODES.has(code));
}

/** WebSocket support for the agent endpoint, and the registry of live agent sockets. */
export default fp(
  async (app) => {
    app.decorate('agentConnections', new AgentConnections());
    await app.register(websocket, {
      options: { maxPayload: transportLimitBytes(app.config.maxFrameBytes), perMessageDeflate: false },
      // The plugin's default logs every socket error at level error and cuts the connection at
      // once; that also cuts off the close frame `ws` just sent (1007, 1009), so a broken agent
      // would see only a reset. Peer errors are warnings, and `ws` finishes their close handshake
      // itself (its close timeout ends a peer that never answers).
      errorHandler(error, socket, request) {
        const code = (error as NodeJS.ErrnoException).code;
        if (isPeerSocketError(error)) {
          request.log.warn({ code, message: error.message }, 'agent socket dropped: peer or network error');
          if (!code?.startsWith('WS_ERR_')) socket.terminate();
          return;
        }
        request.log.error({ err: error }, 'agent socket failed');
        socket.terminate();
      },
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
