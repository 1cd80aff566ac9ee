/**
 * A TCP relay between the agent and the server, as a NAT box or a load balancer sits there. It can
 * hold back what the server sends (so an ack is lost in the network while the report it answers
 * was applied) and cut every connection, which a real network does and a test cannot otherwise
 * time. It forwards bytes unchanged: both ends speak to each other for real.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export class TcpProxy {
  /** While true, bytes from the server are held back instead of forwarded. */
  holdServerBytes = false;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket; held: Buffer[] }>();

  private constructor(
    private readonly server: Server,
    public targetPort: number,
  ) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server, targetPort);
    server.on('connection', (client) => proxy.relay(client));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Cuts every open connection; whatever was held back is lost. */
  cutAll(): void {
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  async close(): Promise<void> {
    this.cutAll();
    this.server.close();
    await once(this.server, 'close');
  }

  private relay(client: Socket): void {
    const upstream = connect(this.targetPort, '127.0.0.1');
    const pair = { client, upstream, held: [] as Buffer[] };
    this.pairs.add(pair);
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.pairs.delete(pair);
    };
    client.on('data', (data) => upstream.write(data));
    upstream.on('data', (data) => {
      if (this.holdServerBytes) pair.held.push(data);
      else client.write(data);
    });
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
  }
}
