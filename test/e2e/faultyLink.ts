import dgram from "node:dgram";
import net from "node:net";

/**
 * A bad network link in user space, between one browser page and the server: `tc netem` is not in this
 * kernel and there is no iptables, so the page's media (UDP) and its HTTP/socket.io (TCP) go through
 * relays that drop and delay packets, or carry nothing at all during a blackout.
 *
 * Loss applies to UDP only (a user-space TCP relay cannot drop a segment; TCP would retransmit it
 * anyway). A blackout drops every datagram and resets the page's TCP connections, refusing new ones
 * until it ends: the site's router lost its uplink and dialled again, the common case for a commune's
 * 4G or ADSL link.
 */
export class FaultyLink {
  /** Share of datagrams dropped, each way. */
  loss = 0;
  /** Added to every datagram and TCP chunk, each way (RTT grows by twice this). */
  delayMs = 0;
  #blackout = false;
  #random: () => number;
  readonly #udp = new Map<number, Promise<number>>();
  readonly #servers: Array<dgram.Socket | net.Server> = [];
  readonly #sockets = new Set<dgram.Socket | net.Socket>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly counts = { forwarded: 0, dropped: 0 };

  constructor(seed = 12) {
    // A seeded generator: the same run drops the same packets.
    let state = seed >>> 0;
    this.#random = () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  get blackout(): boolean {
    return this.#blackout;
  }

  set blackout(on: boolean) {
    this.#blackout = on;
    if (on) for (const socket of this.#sockets) if (socket instanceof net.Socket) socket.destroy();
  }

  /** Runs `send` after the link's delay, unless the link drops the packet (or chunk) now. */
  #carry(send: () => void, droppable: boolean): void {
    if (this.#blackout || (droppable && this.#random() < this.loss)) {
      this.counts.dropped++;
      return;
    }
    this.counts.forwarded++;
    if (this.delayMs <= 0) return send();
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      // The blackout also swallows what was already on the wire.
      if (!this.#blackout) send();
    }, this.delayMs);
    this.#timers.add(timer);
  }

  /** A UDP port on 127.0.0.1 relaying to the server's `host:port`; one per server port, reused. */
  udpRelay(host: string, port: number): Promise<number> {
    let relay = this.#udp.get(port);
    if (!relay) {
      relay = this.#openUdp(host, port);
      this.#udp.set(port, relay);
    }
    return relay;
  }

  async #openUdp(host: string, port: number): Promise<number> {
    const front = dgram.createSocket("udp4");
    this.#servers.push(front);
    // One upstream socket per browser address, so the server's answers find their way back.
    const upstreams = new Map<string, dgram.Socket>();
    front.on("message", (message, from) => {
      const key = `${from.address}:${from.port}`;
      let upstream = upstreams.get(key);
      if (!upstream) {
        const socket = dgram.createSocket("udp4");
        this.#sockets.add(socket);
        socket.on("message", (answer) => this.#carry(() => front.send(answer, from.port, from.address), true));
        socket.on("error", () => undefined);
        socket.bind(0, "127.0.0.1");
        upstreams.set(key, socket);
        upstream = socket;
      }
      const out = upstream;
      this.#carry(() => out.send(message, port, host), true);
    });
    front.on("error", () => undefined);
    await new Promise<void>((resolve) => front.bind(0, "127.0.0.1", resolve));
    return front.address().port;
  }

  /** A TCP port on 127.0.0.1 relaying to the server's HTTP port (the page's origin, its socket.io). */
  async tcpRelay(port: number): Promise<number> {
    const server = net.createServer((client) => {
      if (this.#blackout) return void client.destroy();
      const upstream = net.connect(port, "127.0.0.1");
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on("error", () => undefined);
        socket.on("close", () => {
          this.#sockets.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      client.on("data", (chunk) => this.#carry(() => upstream.write(chunk), false));
      upstream.on("data", (chunk) => this.#carry(() => client.write(chunk), false));
    });
    this.#servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return (server.address() as net.AddressInfo).port;
  }

  close(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    for (const socket of this.#sockets) {
      if (socket instanceof net.Socket) socket.destroy();
      else socket.close();
    }
    for (const server of this.#servers) server.close();
  }
}
