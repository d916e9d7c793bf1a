import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { Db } from 'mongodb';
import { judgeOrigin, nodeHeaders } from '@/lib/api/same-origin';
import { authenticate, type Actor } from '@/lib/auth/actor';
import { canJoinRoom, canReadWall } from '@/lib/auth/permissions';
import { revokedSessionIds } from '@/lib/auth/session-revocation';
import { inactiveTokenIds } from '@/lib/auth/tokens';
import { getUserById } from '@/lib/users/users';
import type { Logger } from '@/lib/logger';
import type { ClientToServerEvents, Room, ServerEventName, ServerEventPayload, ServerToClientEvents } from '@/lib/realtime/events';
import type { EventBus } from '@/lib/runtime';
import { OverviewProgressThrottle } from './overview-throttle';

interface SocketData {
  actor: Actor;
}
export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Socket.IO's default path, where its upgrades arrive. */
export const SOCKET_IO_PATH = '/socket.io/';
const ROOM = /^(overview|connector:[a-z0-9][a-z0-9-]{0,62}|run:[\w:.-]{1,200})$/;
const MAX_ROOMS = 50;

/** How often the overview room hears of one run's progress (see {@link OverviewProgressThrottle}). */
export const OVERVIEW_PROGRESS_EVERY_MS = 1000;

/**
 * The rooms an event goes to: the overview sees everything but log lines (and progress at its own pace); connector
 * and run rooms see their own. Heartbeats go to every socket instead (see `deliver`): each page's connection
 * indicator needs them.
 */
function roomsFor<E extends ServerEventName>(event: E, payload: ServerEventPayload<E>, overview: boolean): Room[] {
  const { connectorId, runId } = payload as { connectorId: string; runId?: string };
  const rooms: Room[] = [`connector:${connectorId}`];
  if (runId) rooms.push(`run:${runId}`);
  if (overview && event !== 'sync:log') rooms.push('overview');
  return rooms;
}

/**
 * Socket.IO on the web server's port. The handshake must carry the page session cookie or an API token
 * (`auth: { token }`); everyone else is refused. A handshake authenticated by a cookie must also come from
 * Syncdeck's own origin (the origin rule of lib/api/same-origin.ts): a page on another site, even a same-site one
 * the cookie reaches, could otherwise read the live logs. Clients then subscribe to the rooms of what they show.
 */
export function createRealtime(options: {
  httpServer: HttpServer;
  db: Db;
  secret: string;
  bus: EventBus;
  logger: Logger;
  /** How often live sockets are checked for ended credentials (revoked tokens, disabled users, new passwords). */
  credentialsRecheckMs: number;
  /** `PUBLIC_URL`: Syncdeck's origin for the origin rule (else the origin the handshake reached). */
  publicUrl?: string;
}): {
  io: RealtimeServer;
  /** Sends an event to the sockets of its rooms (used for this instance's bus and for events relayed from others). */
  deliver<E extends ServerEventName>(event: E, payload: ServerEventPayload<E>): void;
  close(): Promise<void>;
} {
  const { db, secret, bus, logger } = options;
  const io: RealtimeServer = new Server(options.httpServer, { path: SOCKET_IO_PATH, serveClient: false, pingInterval: 10_000, pingTimeout: 10_000 });

  io.use(async (socket, next) => {
    try {
      const token = (socket.handshake.auth as { token?: unknown }).token;
      const { headers } = socket.handshake;
      const actor = await authenticate({
        db,
        secret,
        bearer: typeof token === 'string' ? token : null,
        authorization: headers.authorization,
        cookie: headers.cookie,
      });
      if (!actor || !canReadWall(actor)) return next(new Error('unauthorized'));
      const byBearer = typeof token === 'string' || /^Bearer\s+\S+$/i.test(headers.authorization ?? '');
      if (!byBearer) {
        const verdict = judgeOrigin(nodeHeaders(headers), options.publicUrl);
        if (verdict.kind !== 'same') {
          const reason = verdict.kind === 'cross' ? verdict.reason : 'no Origin, Referer or Sec-Fetch-Site header';
          logger.warn({ reason }, 'cross-origin socket handshake refused');
          return next(new Error(`cross_origin: a socket opened with a browser session must come from Syncdeck's own page (${reason})`));
        }
      }
      socket.data.actor = actor;
      next();
    } catch (err) {
      logger.error({ err }, 'socket authentication failed');
      next(new Error('unavailable'));
    }
  });

  io.on('connection', (socket) => {
    forgetHandshake(socket);
    socket.on('subscribe', onSubscribe);
    socket.on('unsubscribe', onUnsubscribe);
  });

  // A progress held back for the overview goes to its sockets that are not in the run's own rooms: those had it.
  const overviewProgress = new OverviewProgressThrottle({
    everyMs: OVERVIEW_PROGRESS_EVERY_MS,
    send: (progress) => io.to('overview').except([`connector:${progress.connectorId}`, `run:${progress.runId}`]).emit('sync:progress', progress),
  });
  const deliver = <E extends ServerEventName>(event: E, payload: ServerEventPayload<E>) => {
    if (event === 'sync:finish') overviewProgress.finished((payload as ServerEventPayload<'sync:finish'>).runId);
    const overview = event !== 'sync:progress' || overviewProgress.offer(payload as ServerEventPayload<'sync:progress'>);
    const target = event === 'heartbeat' ? io : io.to(roomsFor(event, payload, overview));
    (target.emit as (name: string, data: unknown) => boolean)(event, payload);
  };
  const off = bus.onAny(deliver);
  const recheck = setInterval(() => void cutOffEnded(io, db, logger), options.credentialsRecheckMs);
  recheck.unref();

  return {
    io,
    deliver,
    close: () =>
      new Promise<void>((resolve) => {
        off();
        clearInterval(recheck);
        overviewProgress.close();
        io.disconnectSockets(true);
        void io.close(() => resolve());
      }),
  };
}

type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

// One listener each for every socket (Socket.IO calls them with the socket as `this`), not two closures a socket.
function onSubscribe(this: RealtimeSocket, ...[rooms, ack]: Parameters<ClientToServerEvents['subscribe']>): void {
  const reply = typeof ack === 'function' ? ack : () => {};
  if (!Array.isArray(rooms) || rooms.length > MAX_ROOMS || !rooms.every((r) => typeof r === 'string' && ROOM.test(r))) {
    return reply({ ok: false, error: `rooms must be an array of at most ${MAX_ROOMS} of overview, connector:<id>, run:<id>` });
  }
  if (!rooms.every((room) => canJoinRoom(this.data.actor, room))) return reply({ ok: false, error: 'forbidden' });
  void this.join(rooms);
  reply({ ok: true, rooms });
}

function onUnsubscribe(this: RealtimeSocket, ...[rooms]: Parameters<ClientToServerEvents['unsubscribe']>): void {
  if (Array.isArray(rooms)) for (const room of rooms) if (typeof room === 'string') void this.leave(room);
}

/**
 * Once a socket is authenticated, its actor is all it needs: the headers and credentials of its handshake (the
 * session cookie, an API token) would otherwise stay in memory as long as the connection, for every socket.
 */
function forgetHandshake(socket: RealtimeSocket): void {
  socket.handshake.headers = {};
  socket.handshake.auth = {};
  const request = socket.request as IncomingMessage | undefined;
  // Engine.IO answers each upgrade through a response stand-in for its middlewares (Syncdeck has none), which holds
  // the request, and relays the TCP socket's close to it with a once-listener: that listener kept the stand-in and
  // the whole upgrade request alive as long as the connection (about 1 KB a socket). The transport's own close
  // handling (ws's) is a plain listener and stays. (A connection that falls back to polling and upgrades later keeps
  // its stand-in: dashboards open on WebSocket.)
  const raw = request?.socket;
  if (raw) {
    for (const listener of raw.rawListeners('close') as Array<{ listener?: (...args: unknown[]) => void }>) {
      if (listener.listener && String(listener.listener) === RESPONSE_CLOSE_RELAY) raw.removeListener('close', listener.listener);
    }
  }
  // The request is read through `socket.request` only during the handshake: nothing reads it afterwards.
  (socket.conn as { request?: unknown }).request = RELEASED_REQUEST;
}

/** The source of Engine.IO's close relay to its upgrade response stand-in (engine.io/build/server.js). */
const RESPONSE_CLOSE_RELAY = '() => this.emit("close")';

/** What `socket.request` answers once the handshake is let go. */
const RELEASED_REQUEST = Object.freeze({ headers: Object.freeze({}), rawHeaders: Object.freeze([]) });

/**
 * Disconnects the sockets whose credentials ended since their handshake, so their reconnect is refused: revoked
 * tokens, signed-out sessions, and users disabled, deleted or whose password changed after the socket connected
 * (its session was signed in before that).
 */
async function cutOffEnded(io: RealtimeServer, db: Db, logger: Logger): Promise<void> {
  const byToken = new Map<string, RealtimeSocket[]>();
  const byUser = new Map<string, RealtimeSocket[]>();
  for (const socket of io.of('/').sockets.values()) {
    const actor = socket.data.actor;
    if (!actor) continue;
    const group = actor.kind === 'token' ? byToken : byUser;
    const list = group.get(actor.id);
    if (list) list.push(socket);
    else group.set(actor.id, [socket]);
  }
  try {
    if (byToken.size) {
      for (const id of await inactiveTokenIds({ db, ids: [...byToken.keys()] })) {
        const sockets = byToken.get(id) ?? [];
        logger.info({ tokenId: id, sockets: sockets.length }, 'token revoked: disconnecting its live sockets');
        for (const socket of sockets) socket.disconnect(true);
      }
    }
    // One lookup by id each: a handful of people, and FerretDB serves an `_id` lookup from its index.
    const users = await Promise.all([...byUser.keys()].map(async (id) => [id, await getUserById({ db, id })] as const));
    const sessionIds = [...byUser.values()].flat().flatMap((socket) => (socket.data.actor.kind === 'user' && socket.data.actor.sessionId ? [socket.data.actor.sessionId] : []));
    const signedOut = await revokedSessionIds({ db, ids: [...new Set(sessionIds)] });
    for (const [id, user] of users) {
      const ended = (byUser.get(id) ?? []).filter((socket) => {
        const { actor } = socket.data;
        if (actor.kind === 'user' && actor.sessionId && signedOut.has(actor.sessionId)) return true;
        return !user || user.disabled || (user.sessionsValidFrom?.getTime() ?? 0) > socket.handshake.issued;
      });
      if (!ended.length) continue;
      logger.info({ userId: id, sockets: ended.length }, 'signed out, user disabled or deleted, or password changed: disconnecting live sockets');
      for (const socket of ended) socket.disconnect(true);
    }
  } catch (err) {
    logger.warn({ err }, 'could not check live sockets for ended credentials');
  }
}
