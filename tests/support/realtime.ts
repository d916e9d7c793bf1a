import type { Db } from 'mongodb';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, Room, ServerEventName, ServerEventPayload, ServerToClientEvents } from '@/lib/realtime/events';
import { createToken } from './database';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Opens a Socket.IO connection (websocket only) with a session cookie or an API token. Not yet connected. A cookie
 * goes with the Origin of Syncdeck's own page, as a browser's would (the origin rule); `origin` overrides it.
 */
export function openSocket(url: string, auth: { cookie?: string; token?: string; origin?: string } = {}): ClientSocket {
  return io(url, {
    transports: ['websocket'],
    reconnection: false,
    autoConnect: false,
    timeout: 20_000,
    forceNew: true,
    ...(auth.cookie ? { extraHeaders: { cookie: auth.cookie, origin: auth.origin ?? new URL(url).origin } } : {}),
    ...(auth.token ? { auth: { token: auth.token } } : {}),
  }) as ClientSocket;
}

/** Connects and resolves once connected; rejects with the server's refusal (connect_error). */
export function connect(socket: ClientSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
    socket.connect();
  });
}

/** Joins rooms and resolves with the rooms the server confirmed. */
export async function subscribe(socket: ClientSocket, rooms: Room[]): Promise<Room[]> {
  const result = await socket.timeout(10_000).emitWithAck('subscribe', rooms);
  if (!result.ok) throw new Error(`subscribe refused: ${result.error}`);
  return result.rooms;
}

export type Received = { [E in ServerEventName]: { event: E; payload: ServerEventPayload<E> } }[ServerEventName];

const EVENTS: ServerEventName[] = ['sync:start', 'sync:progress', 'sync:log', 'sync:finish', 'heartbeat', 'connector:updated'];

/**
 * Records every server event on a socket, in arrival order. Start recording *before* triggering what you
 * expect, then `waitFor` it: nothing can slip by between the trigger and the wait.
 */
export function record(socket: ClientSocket) {
  const events: Received[] = [];
  const waiters = new Set<() => void>();
  for (const event of EVENTS) {
    (socket.on as (name: string, listener: (payload: unknown) => void) => void)(event, (payload) => {
      events.push({ event, payload } as Received);
      for (const wake of waiters) wake();
    });
  }
  return {
    events,
    /** Resolves with the first recorded event (past or future) that matches. */
    waitFor<E extends ServerEventName>(event: E, match: (payload: ServerEventPayload<E>) => boolean = () => true, timeoutMs = 60_000) {
      return new Promise<ServerEventPayload<E>>((resolve, reject) => {
        const look = () => {
          const found = events.find((e) => e.event === event && match(e.payload as ServerEventPayload<E>));
          if (!found) return;
          cleanup();
          resolve(found.payload as ServerEventPayload<E>);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no ${event} event within ${timeoutMs} ms; got: ${events.map((e) => e.event).join(', ') || 'nothing'}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(look);
        };
        waiters.add(look);
        look();
      });
    },
    /** The recorded events of one run, in order. */
    ofRun(runId: string) {
      return events.filter((e) => e.event !== 'heartbeat' && (e.payload as { runId?: string }).runId === runId);
    },
  };
}

/**
 * An admin API token and a socket of it that records the events of the given connectors' rooms: what the
 * connector test files arrange first, to call the API as an admin and check what the dashboards were told.
 */
export async function watchConnectorsAsAdmin(url: string, db: Db, connectorIds: readonly string[]) {
  const { token } = await createToken(db, 'admin');
  const socket = openSocket(url, { token });
  const events = record(socket);
  await connect(socket);
  await subscribe(socket, connectorIds.map((id) => `connector:${id}` as const));
  return { admin: { token }, socket, events };
}
