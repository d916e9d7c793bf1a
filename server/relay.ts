import { ObjectId, type Db } from 'mongodb';
import type { Logger } from '@/lib/logger';
import type { ServerEventName, ServerEventPayload } from '@/lib/realtime/events';
import type { EventBus } from '@/lib/runtime';
import { collections } from '@/lib/store/collections';

/**
 * Passes live events between instances that share a database, so a dashboard connected to one instance sees the
 * runs another executes. Only common-subset operations (insert, find by time, delete): no change streams, which
 * the embedded database lacks. While an instance is alone, nothing is written.
 */

/** The events one instance emitted within one flush interval, in order, as one document. */
interface RelayedBatch {
  _id: ObjectId;
  instanceId: string;
  at: Date;
  /** Absent on documents of the one-event-per-document format, which expire within `keepMs`. */
  events?: Array<{ event: ServerEventName; payload: unknown }>;
}

/** Options of the relay; tests shorten them. */
export interface RelayOptions {
  /** How often each instance looks for events of the others. */
  pollMs: number;
  /**
   * Events are written together, at most this long after the first of them: a minute boundary starting hundreds
   * of runs writes a few documents instead of one per event (a write each is what the embedded database is slow at).
   */
  flushMs: number;
  /** Events are kept this long, then deleted by the instance that wrote them. */
  keepMs: number;
  /** How long an instance counts as alive after its last heartbeat. */
  aliveMs: number;
}

/** How far before its last look each poll looks again; batches seen are remembered for twice as long. */
const LOOK_BACK_MS = 10_000;

export function startRelay({ db, bus, instanceId, logger, options, deliver }: {
  db: Db;
  bus: EventBus;
  instanceId: string;
  logger: Logger;
  options: RelayOptions;
  /** Hands an event from another instance to this instance's sockets (not back to the bus: no echo). */
  deliver: <E extends ServerEventName>(event: E, payload: ServerEventPayload<E>) => void;
}): { stop(): Promise<void> } {
  const batches = collections.liveEvents<RelayedBatch>(db);
  void batches.createIndex({ at: 1 }, { name: 'recent' }).catch((err) => logger.warn({ err }, 'could not index liveEvents'));
  let peers = false;
  let lastPoll = new Date();
  const seen = new Map<string, number>();
  let pending: Promise<unknown> = Promise.resolve();
  let outbox: NonNullable<RelayedBatch['events']> = [];
  let flushTimer: NodeJS.Timeout | undefined;

  const flush = () => {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    if (!outbox.length) return;
    const events = outbox;
    outbox = [];
    // One write after another, so batches land in the order they were made.
    pending = pending
      .then(() => batches.insertOne({ _id: new ObjectId(), instanceId, at: new Date(), events }))
      .catch((err) => logger.warn({ err, events: events.length }, 'could not relay events'));
  };

  const off = bus.onAny((event, payload) => {
    // Heartbeats travel too, so every dashboard shows every instance's heartbeat as it comes.
    if (!peers) return;
    outbox.push({ event, payload });
    flushTimer ??= setTimeout(flush, options.flushMs);
  });

  const checkPeers = async () => {
    const since = new Date(Date.now() - options.aliveMs);
    peers = (await collections.instances(db).countDocuments({ _id: { $ne: instanceId } as never, lastHeartbeatAt: { $gt: since } })) > 0;
  };

  const poll = async () => {
    // Clocks of instances differ a little, and a batch is stamped before its insert, which a busy database (a minute
    // boundary starting hundreds of runs) can hold up for seconds: look well back, and skip what was seen.
    const from = new Date(lastPoll.getTime() - LOOK_BACK_MS);
    lastPoll = new Date();
    const found = await batches.find({ at: { $gt: from }, instanceId: { $ne: instanceId } }).sort({ at: 1 }).toArray();
    for (const batch of found) {
      const key = batch._id.toHexString();
      if (seen.has(key)) continue;
      seen.set(key, batch.at.getTime());
      for (const { event, payload } of batch.events ?? []) deliver(event, payload as never);
    }
    const forgetBefore = Date.now() - 2 * LOOK_BACK_MS;
    for (const [key, at] of seen) if (at < forgetBefore) seen.delete(key);
  };

  let ticks = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    ticks++;
    void (async () => {
      try {
        if (ticks % 10 === 1) await checkPeers();
        if (!peers) return;
        await poll();
        if (ticks % 20 === 0) await batches.deleteMany({ instanceId, at: { $lt: new Date(Date.now() - options.keepMs) } });
      } catch (err) {
        logger.warn({ err }, 'event relay poll failed');
      } finally {
        busy = false;
      }
    })();
  }, options.pollMs);
  timer.unref();

  return {
    async stop() {
      clearInterval(timer);
      off();
      flush();
      await pending;
    },
  };
}
