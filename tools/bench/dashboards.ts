import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { SyncProgressEvent } from '../../lib/realtime/events';
import { connect, openSocket, subscribe } from '../../tests/support/realtime';
import { LeanSocket } from './lean-socket';
import { mapLimit } from './stats';

/**
 * The dashboards of bench:push, spread over worker threads. A browser reads only its own socket; one thread
 * holding every dashboard reads them one after the other (about 40 µs each in Node, even for a client that barely
 * decodes), so the last of 2,000 would wait 80 ms for the benchmark itself. The threads share out that reading,
 * as far as the machine's cores allow.
 */

export type DashboardClient = 'lean' | 'socket.io';

/** What the dashboards saw of `sync:progress` while measuring. */
export interface ProgressSeen {
  /** Receive time minus the server's `at` stamp, one per event and socket (same machine, same clock). */
  latencies: number[];
  /** Distinct events (run, figure, stamp) seen by any socket: what the server sent. */
  distinct: string[];
}

type Command = { kind: 'connect'; url: string; tokens: string[]; count: number } | { kind: 'measure' } | { kind: 'collect' } | { kind: 'close' };
type Reply = { kind: 'connected' } | { kind: 'measuring' } | ({ kind: 'collected' } & ProgressSeen) | { kind: 'closed' } | { kind: 'failed'; message: string };

/** A pool of worker threads, each holding a share of the dashboards. */
export class Dashboards {
  readonly #workers: Worker[];
  #count = 0;

  constructor(threads: number, client: DashboardClient) {
    // A thread does not inherit the TypeScript loader of `node --import tsx`: it registers it, then loads this file.
    const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
    this.#workers = Array.from({ length: threads }, () => new Worker(boot, { eval: true, workerData: { client } }));
  }

  get count(): number {
    return this.#count;
  }

  /** Connects `count` more dashboards with the tokens (in turn), subscribed to the overview. */
  async add(url: string, tokens: string[], count: number): Promise<void> {
    const shares = this.#workers.map((_, i) => Math.floor(count / this.#workers.length) + (i < count % this.#workers.length ? 1 : 0));
    await Promise.all(this.#workers.map((worker, i) => this.#ask(worker, { kind: 'connect', url, tokens, count: shares[i]! })));
    this.#count += count;
  }

  /** Starts recording from now, forgetting what was recorded before. */
  async measure(): Promise<void> {
    await Promise.all(this.#workers.map((worker) => this.#ask(worker, { kind: 'measure' })));
  }

  /** Stops recording and returns what every thread saw. */
  async collect(): Promise<ProgressSeen> {
    const replies = (await Promise.all(this.#workers.map((worker) => this.#ask(worker, { kind: 'collect' })))) as Array<Extract<Reply, { kind: 'collected' }>>;
    return { latencies: replies.flatMap((r) => r.latencies), distinct: [...new Set(replies.flatMap((r) => r.distinct))] };
  }

  /** Disconnects every dashboard (the pool stays usable). */
  async closeAll(): Promise<void> {
    await Promise.all(this.#workers.map((worker) => this.#ask(worker, { kind: 'close' })));
    this.#count = 0;
  }

  /** Ends the threads; their sockets close with them. */
  async terminate(): Promise<void> {
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }

  #ask(worker: Worker, command: Command): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const onMessage = (reply: Reply) => {
        worker.off('error', onError);
        if (reply.kind === 'failed') reject(new Error(`dashboard thread: ${reply.message}`));
        else resolve(reply);
      };
      const onError = (error: Error) => {
        worker.off('message', onMessage);
        reject(error);
      };
      worker.once('message', onMessage);
      worker.once('error', onError);
      worker.postMessage(command);
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The thread side

function serve(client: DashboardClient): void {
  const closers: Array<() => void> = [];
  let measuring = false;
  let latencies: number[] = [];
  let distinct = new Set<string>();
  const onProgress = (event: SyncProgressEvent, receivedAt: number) => {
    if (!measuring) return;
    latencies.push(receivedAt - Date.parse(event.at));
    distinct.add(`${event.runId}|${event.done}|${event.at}`);
  };

  const open = async (url: string, token: string) => {
    if (client === 'lean') {
      const socket = await LeanSocket.open(url, token, ['overview']);
      closers.push(() => socket.close());
      socket.onEvent((name, payload, receivedAt) => name === 'sync:progress' && onProgress(payload as SyncProgressEvent, receivedAt));
      return;
    }
    const socket = openSocket(url, { token });
    closers.push(() => socket.disconnect());
    await connect(socket);
    await subscribe(socket, ['overview']);
    socket.on('sync:progress', (event) => onProgress(event, Date.now()));
  };

  parentPort!.on('message', (command: Command) => {
    const reply = (message: Reply) => parentPort!.postMessage(message);
    switch (command.kind) {
      case 'connect':
        return void mapLimit(Array.from({ length: command.count }), 25, (_, i) => open(command.url, command.tokens[i % command.tokens.length]!)).then(
          () => reply({ kind: 'connected' }),
          (error: unknown) => reply({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
        );
      case 'measure':
        latencies = [];
        distinct = new Set();
        measuring = true;
        return reply({ kind: 'measuring' });
      case 'collect':
        measuring = false;
        return reply({ kind: 'collected', latencies, distinct: [...distinct] });
      case 'close':
        for (const close of closers.splice(0)) close();
        return reply({ kind: 'closed' });
    }
  });
}

if (!isMainThread) serve((workerData as { client: DashboardClient }).client);
