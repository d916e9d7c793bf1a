import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, Room, ServerToClientEvents } from '@/lib/realtime/events';
import type { LiveEvent, LiveListener, LiveStatus } from './live-context';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The page's socket: same origin, the session cookie authenticates the handshake. */
const openSocket = (): LiveSocket => io({ path: '/socket.io', withCredentials: true, transports: ['websocket', 'polling'] });

/** Pause before connecting again when Socket.IO itself has given up (server-side disconnect, refused handshake). */
const RETRY_MS = 3000;
const SUBSCRIBE_TIMEOUT_MS = 5000;

/**
 * The page's one Socket.IO connection and what it knows, as an external store: components read slices of it with
 * `useSyncExternalStore`, so a change re-renders only the readers whose slice changed. The React context holds this
 * object, which never changes: a changing context value would reach the parts of the page still waiting for their
 * streamed HTML, and React then renders those again in the browser instead of hydrating what the server sent.
 *
 * It joins the rooms components asked for (and only those: a page receives what it shows) on every connect, tracks
 * heartbeats (sent to every socket) for the indicator and fans events out to listeners.
 */
export class LiveStore {
  readonly #initialStatus: LiveStatus;
  #status: LiveStatus;
  /** Grows by one after every (re)connect once the rooms are joined. */
  #epoch = 0;
  /** Per joined room, how many times it has been (re)joined. */
  readonly #versions = new Map<Room, number>();
  readonly #watchers = new Set<() => void>();
  readonly #listeners = new Set<LiveListener>();
  /** Rooms components asked for, with how many of them ask. */
  readonly #rooms = new Map<Room, number>();
  /** Set between `connect()` and the function it returned. */
  #socket: LiveSocket | null = null;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #onUnauthorized: (() => void) | undefined;

  constructor(heartbeatIntervalMs: number) {
    this.#initialStatus = { connected: false, since: Date.now(), lastHeartbeat: null, heartbeatIntervalMs };
    this.#status = this.#initialStatus;
  }

  /** Calls `onChange` whenever the status, the epoch or a room's version changes; returns the function that stops it. */
  readonly watch = (onChange: () => void) => {
    this.#watchers.add(onChange);
    return () => void this.#watchers.delete(onChange);
  };

  readonly status = () => this.#status;
  /** The status the server rendered with, and hydration renders again. */
  readonly initialStatus = () => this.#initialStatus;
  readonly epoch = () => this.#epoch;
  version(room: Room): number {
    return this.#versions.get(room) ?? 0;
  }

  /** Calls `listener` for every event; returns the function that stops it. */
  readonly listen = (listener: LiveListener) => {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  };

  /** Joins `room` while the caller needs it (reference-counted, re-joined after reconnects); returns the leave function. */
  readonly join = (room: Room) => {
    const count = this.#rooms.get(room) ?? 0;
    this.#rooms.set(room, count + 1);
    if (count === 0 && this.#socket?.connected) this.#subscribe([room], () => this.#bump([room]));
    return () => {
      const left = (this.#rooms.get(room) ?? 1) - 1;
      if (left > 0) return void this.#rooms.set(room, left);
      this.#rooms.delete(room);
      if (this.#versions.delete(room)) this.#changed();
      if (this.#socket?.connected) this.#socket.emit('unsubscribe', [room]);
    };
  };

  /** Sets what a refused handshake does (by default the browser goes to the login page). */
  whenUnauthorized(handler: (() => void) | undefined): void {
    this.#onUnauthorized = handler;
  }

  /** Opens the connection (`open` makes the socket); the returned function closes it. */
  connect(open: () => LiveSocket = openSocket): () => void {
    const socket = open();
    this.#socket = socket;
    const publish = (event: LiveEvent) => this.#listeners.forEach((listener) => listener(event));

    socket.on('connect', () => {
      this.#setStatus({ connected: true, since: Date.now() });
      const list: Room[] = [...this.#rooms.keys()];
      this.#subscribe(list, () => {
        this.#epoch += 1;
        this.#bump(list);
      });
    });
    socket.on('disconnect', (reason) => {
      this.#setStatus({ connected: false, since: Date.now() });
      if (reason === 'io server disconnect') this.#reconnectLater();
    });
    socket.on('connect_error', (err) => {
      if (socket.active) return; // Socket.IO keeps retrying by itself
      if (err.message === 'unauthorized') {
        if (this.#onUnauthorized) return this.#onUnauthorized();
        window.location.assign(`/login?callbackUrl=${encodeURIComponent(window.location.pathname)}`);
        return;
      }
      this.#reconnectLater();
    });
    socket.on('heartbeat', (payload) => {
      this.#setStatus({ lastHeartbeat: { receivedAt: Date.now(), at: payload.at } });
      publish({ type: 'heartbeat', payload });
    });
    socket.on('sync:start', (payload) => publish({ type: 'sync:start', payload }));
    socket.on('sync:progress', (payload) => publish({ type: 'sync:progress', payload }));
    socket.on('sync:log', (payload) => publish({ type: 'sync:log', payload }));
    socket.on('sync:finish', (payload) => publish({ type: 'sync:finish', payload }));
    socket.on('connector:updated', (payload) => publish({ type: 'connector:updated', payload }));

    return () => {
      clearTimeout(this.#retry);
      this.#socket = null;
      socket.disconnect();
    };
  }

  #subscribe(list: Room[], onJoined: () => void): void {
    const socket = this.#socket;
    socket?.timeout(SUBSCRIBE_TIMEOUT_MS).emit('subscribe', list, (err, result) => {
      if (!err && result.ok) return onJoined();
      socket.disconnect();
      this.#reconnectLater();
    });
  }

  #reconnectLater(): void {
    clearTimeout(this.#retry);
    const socket = this.#socket;
    this.#retry = setTimeout(() => socket?.connect(), RETRY_MS);
  }

  /** Counts one more join of each room in `list` that is still asked for, and tells the watchers. */
  #bump(list: Room[]): void {
    for (const room of list) if (this.#rooms.has(room)) this.#versions.set(room, this.version(room) + 1);
    this.#changed();
  }

  #setStatus(change: Partial<LiveStatus>): void {
    this.#status = { ...this.#status, ...change };
    this.#changed();
  }

  #changed(): void {
    this.#watchers.forEach((watcher) => watcher());
  }
}
