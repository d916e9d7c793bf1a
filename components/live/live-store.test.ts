import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HeartbeatEvent, Room } from '@/lib/realtime/events';
import type { LiveEvent } from './live-context';
import { LiveStore, type LiveSocket } from './live-store';

type Ack = (err: Error | null, result: { ok: true; rooms: Room[] } | { ok: false; error: string }) => void;

/** Stands in for the Socket.IO client: records what the store sends and lets a test play the server's side. */
class FakeSocket {
  connected = false;
  /** Socket.IO's own reconnection is still trying. */
  active = true;
  connects = 0;
  readonly sent: Array<{ event: string; rooms: Room[] }> = [];
  readonly acks: Ack[] = [];
  readonly #handlers = new Map<string, (...args: unknown[]) => void>();

  on(event: string, handler: (...args: unknown[]) => void) {
    this.#handlers.set(event, handler);
    return this;
  }
  timeout() {
    return {
      emit: (event: string, rooms: Room[], ack: Ack) => {
        this.sent.push({ event, rooms });
        this.acks.push(ack);
      },
    };
  }
  emit(event: string, rooms: Room[]) {
    this.sent.push({ event, rooms });
    return this;
  }
  connect() {
    this.connects++;
    return this;
  }
  disconnect() {
    if (this.connected) this.serverSends('disconnect', 'io client disconnect');
    return this;
  }
  /** What the server (or the transport) does: connect, disconnect, heartbeat, … */
  serverSends(event: string, ...args: unknown[]) {
    if (event === 'connect') this.connected = true;
    if (event === 'disconnect') this.connected = false;
    this.#handlers.get(event)?.(...args);
  }
  /** The server's answer to the newest subscribe. */
  answer(ok: boolean) {
    const ack = this.acks.at(-1)!;
    const rooms = this.sent.filter((s) => s.event === 'subscribe').at(-1)!.rooms;
    ack(null, ok ? { ok: true, rooms } : { ok: false, error: 'forbidden' });
  }
}

const heartbeat: HeartbeatEvent = { instanceId: 'vm-1', at: '2026-12-07T10:00:00.000Z', uptimeS: 5, scheduler: 'running', runningRuns: 0, db: { ok: true, latencyMs: 2 } };

let store: LiveStore;
let socket: FakeSocket;
let close: () => void;

beforeEach(() => {
  vi.useFakeTimers();
  store = new LiveStore(5000);
  socket = new FakeSocket();
  close = () => {};
});

afterEach(() => {
  close();
  vi.useRealTimers();
});

const open = () => {
  close = store.connect(() => socket as unknown as LiveSocket);
};

describe('the live store', () => {
  it('joins the rooms asked for on connect; the epoch and the rooms\' versions grow once the server confirms', () => {
    store.join('overview');
    open();
    socket.serverSends('connect');
    expect(store.status().connected).toBe(true);
    expect(socket.sent).toEqual([{ event: 'subscribe', rooms: ['overview'] }]);
    expect([store.epoch(), store.version('overview')]).toEqual([0, 0]);
    socket.answer(true);
    expect([store.epoch(), store.version('overview')]).toEqual([1, 1]);

    socket.serverSends('disconnect', 'transport close');
    expect(store.status().connected).toBe(false);
    socket.serverSends('connect');
    socket.answer(true);
    expect([store.epoch(), store.version('overview')]).toEqual([2, 2]);
  });

  it('subscribes a room joined later by itself, counts its holders, and unsubscribes when the last one leaves', () => {
    open();
    socket.serverSends('connect');
    socket.answer(true);
    const watcher = vi.fn();
    store.watch(watcher);

    const leaveFirst = store.join('run:r1');
    const leaveSecond = store.join('run:r1');
    expect(socket.sent.at(-1)).toEqual({ event: 'subscribe', rooms: ['run:r1'] });
    expect(socket.sent.filter((s) => s.event === 'subscribe')).toHaveLength(2); // the connect's, then this one
    socket.answer(true);
    expect([store.epoch(), store.version('run:r1')]).toEqual([1, 1]);
    expect(watcher).toHaveBeenCalled();

    leaveFirst();
    expect(socket.sent.some((s) => s.event === 'unsubscribe')).toBe(false);
    leaveSecond();
    expect(socket.sent.at(-1)).toEqual({ event: 'unsubscribe', rooms: ['run:r1'] });
    expect(store.version('run:r1')).toBe(0);
  });

  it('drops a connection whose subscribe was refused and connects again after a pause, unless closed first', () => {
    store.join('overview');
    open();
    socket.serverSends('connect');
    socket.answer(false);
    expect(socket.connected).toBe(false);
    expect(store.epoch()).toBe(0);
    vi.advanceTimersByTime(2999);
    expect(socket.connects).toBe(0);
    vi.advanceTimersByTime(1);
    expect(socket.connects).toBe(1);

    socket.serverSends('connect');
    socket.answer(false);
    close();
    vi.advanceTimersByTime(10_000);
    expect(socket.connects).toBe(1);
  });

  it('keeps the newest heartbeat in its status and hands every event to the listeners', () => {
    const events: LiveEvent[] = [];
    store.listen((event) => events.push(event));
    open();
    socket.serverSends('connect');
    socket.serverSends('heartbeat', heartbeat);
    socket.serverSends('sync:log', { runId: 'r1', connectorId: 'crm', at: heartbeat.at, level: 'info', message: 'page 1' });
    expect(store.status().lastHeartbeat?.at).toBe(heartbeat.at);
    expect(events.map((e) => e.type)).toEqual(['heartbeat', 'sync:log']);
    expect(store.initialStatus().lastHeartbeat).toBeNull();
  });

  it('hands a refused handshake to the page\'s handler once Socket.IO has given up', () => {
    const refused = vi.fn();
    store.whenUnauthorized(refused);
    open();
    socket.serverSends('connect_error', new Error('unauthorized'));
    expect(refused).not.toHaveBeenCalled(); // still retrying by itself
    socket.active = false;
    socket.serverSends('connect_error', new Error('unauthorized'));
    expect(refused).toHaveBeenCalledOnce();
  });
});
