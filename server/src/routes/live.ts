import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { readAccess } from '../access/policy.ts';
import { requestScope } from '../plugins/access.ts';

/** How often dashboard sockets are pinged; a socket that missed the previous pong is cut. */
export const LIVE_PING_INTERVAL_MS = 30_000;
/** A client that lets this many bytes queue up is too slow to follow: it is cut and reloads. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * GET /api/live — the dashboard's WebSocket. The session cookie is checked before the upgrade
 * (the access plugin's hooks run first: no session, no socket), and the client receives only
 * events of orgs in its scope, as JSON text frames `{ "type": "position.changed", ... }`. Nothing
 * is read from the client; it reconnects and reloads after a drop.
 */
export default async function liveRoutes(app: FastifyInstance): Promise<void> {
  const alive = new WeakMap<object, boolean>();
  const sockets = new Set<import('ws').WebSocket>();
  const heartbeat = setInterval(() => {
    for (const socket of sockets) {
      if (alive.get(socket) === false) {
        socket.terminate();
        continue;
      }
      alive.set(socket, false);
      socket.ping();
    }
  }, LIVE_PING_INTERVAL_MS);
  heartbeat.unref();
  app.addHook('onClose', async () => clearInterval(heartbeat));

  app.get(
    '/api/live',
    {
      websocket: true,
      config: { access: readAccess() },
      schema: { querystring: z.object({}) },
    },
    (socket, request) => {
      const scope = requestScope(request);
      sockets.add(socket);
      alive.set(socket, true);
      socket.on('pong', () => alive.set(socket, true));
      const unsubscribe = app.live.subscribe(scope.paths, (event) => {
        if (socket.readyState !== socket.OPEN) return;
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
          socket.terminate();
          return;
        }
        socket.send(JSON.stringify(event));
      });
      socket.on('close', () => {
        unsubscribe();
        sockets.delete(socket);
      });
      // Ready: the client may now expect every event of its scope from this point on.
      socket.send(JSON.stringify({ type: 'live.ready', paths: scope.paths.length }));
    },
  );
}
