import type { WebSocket } from 'ws';

/** Close code for a connection replaced by a newer one of the same agent. */
export const CLOSE_SUPERSEDED = 4000;
/** Close code for an agent whose credentials an administrator revoked or rotated. */
export const CLOSE_REVOKED = 4001;

/**
 * The open agent sockets of this server process, one per agent. A reconnecting agent replaces its
 * old socket (which may linger half-open after a network change) so reports never interleave on
 * two connections. Also keeps connections honest with pings: a socket that missed a pong by the
 * next ping is cut (dead NAT mappings otherwise hold sockets open for hours).
 */
export class AgentConnections {
  readonly #sockets = new Map<string, WebSocket>();
  readonly #alive = new WeakMap<WebSocket, boolean>();

  add(agentId: string, socket: WebSocket): void {
    const previous = this.#sockets.get(agentId);
    if (previous && previous !== socket) previous.close(CLOSE_SUPERSEDED, 'replaced by a newer connection of this agent');
    this.#sockets.set(agentId, socket);
    this.#alive.set(socket, true);
    socket.on('pong', () => this.#alive.set(socket, true));
    socket.once('close', () => {
      if (this.#sockets.get(agentId) === socket) this.#sockets.delete(agentId);
    });
  }

  /**
   * Closes the live socket of an agent on this process at once (revocation, secret rotation);
   * true when one was open. Across server nodes the caller broadcasts the id (see agents/revoke.ts).
   */
  disconnect(agentId: string, code: number, reason: string): boolean {
    const socket = this.#sockets.get(agentId);
    if (!socket) return false;
    this.#sockets.delete(agentId);
    socket.close(code, reason);
    // A peer that ignores the close handshake is cut off; revocation must not wait on it.
    setTimeout(() => socket.terminate(), 1_000).unref();
    return true;
  }

  get size(): number {
    return this.#sockets.size;
  }

  /** One heartbeat round: cut sockets that did not answer the previous ping, ping the rest. */
  ping(): void {
    for (const socket of this.#sockets.values()) {
      if (this.#alive.get(socket) === false) {
        socket.terminate();
        continue;
      }
      this.#alive.set(socket, false);
      socket.ping();
    }
  }
}
