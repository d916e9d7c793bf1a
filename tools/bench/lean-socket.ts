import WebSocket from 'ws';

/**
 * A load client for bench:push: one WebSocket speaking Socket.IO's wire protocol (Engine.IO 4, Socket.IO 5, text
 * packets) — handshake with an API token, `subscribe` with its acknowledgement, pings answered — and handing each
 * event over with the time its frame arrived.
 *
 * Why not socket.io-client: all the dashboards of the benchmark live in one Node thread, which decodes every
 * broadcast once per socket in turn. With 2,000 socket.io-client instances that took about 40 ms per event, so
 * the last socket's "latency" was mostly the benchmark waiting for itself. A browser decodes only its own copy. This
 * client stamps arrival first and decodes little, so the figures are the server's.
 */
export class LeanSocket {
  readonly #ws: WebSocket;
  #onEvent: (name: string, payload: unknown, receivedAt: number) => void = () => {};

  private constructor(ws: WebSocket) {
    this.#ws = ws;
  }

  /** Connects with `token`, joins `rooms`, and resolves once the server acknowledged the subscription. */
  static open(baseUrl: string, token: string, rooms: string[], timeoutMs = 20_000): Promise<LeanSocket> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
    const ws = new WebSocket(url);
    const socket = new LeanSocket(ws);
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => {
        clearTimeout(timer);
        ws.terminate();
        reject(error);
      };
      const timer = setTimeout(() => fail(new Error(`no subscription within ${timeoutMs} ms`)), timeoutMs);
      ws.on('error', fail);
      ws.on('message', (data) => {
        const receivedAt = Date.now();
        const text = data.toString();
        switch (text[0]) {
          case '0': // Engine.IO open: connect to the main namespace with the token
            return ws.send(`40${JSON.stringify({ token })}`);
          case '2': // ping
            return ws.send('3');
          case '4':
            return socket.#onPacket(text.slice(1), receivedAt, {
              connected: () => ws.send(`420${JSON.stringify(['subscribe', rooms])}`),
              acknowledged: (result) => {
                clearTimeout(timer);
                const answer = result as { ok?: boolean; error?: string };
                if (answer?.ok) resolve(socket);
                else fail(new Error(`subscribe refused: ${answer?.error ?? 'no reason'}`));
              },
              refused: (message) => fail(new Error(`connection refused: ${message}`)),
            });
        }
      });
    });
  }

  /** Every event the server sends from now on, with the time (ms since the epoch) its frame arrived. */
  onEvent(listener: (name: string, payload: unknown, receivedAt: number) => void): void {
    this.#onEvent = listener;
  }

  close(): void {
    this.#ws.close();
  }

  #onPacket(
    packet: string,
    receivedAt: number,
    handshake: { connected(): void; acknowledged(result: unknown): void; refused(message: string): void },
  ): void {
    switch (packet[0]) {
      case '0': // CONNECT accepted
        return handshake.connected();
      case '4': // CONNECT_ERROR
        return handshake.refused((JSON.parse(packet.slice(1)) as { message?: string }).message ?? packet);
      case '2': {
        // EVENT: ["name", payload]
        const [name, payload] = JSON.parse(packet.slice(1)) as [string, unknown];
        return this.#onEvent(name, payload, receivedAt);
      }
      case '3': {
        // ACK: <id>[result]
        const [result] = JSON.parse(packet.slice(packet.indexOf('['))) as [unknown];
        return handshake.acknowledged(result);
      }
    }
  }
}
