/**
 * Vitest 5 targets Node 22.12+, but the project (and its CI machine) runs Node 20, where a few ES2024 built-ins
 * that Vitest's main process uses are missing: `Map.groupBy` and `Object.groupBy` (failure summaries) and
 * `Promise.withResolvers` (watch mode). vitest.config.ts imports this file so they exist before Vitest needs them.
 * Plain JavaScript so the config loader needs no transform; on Node 22+ every line is a no-op.
 */

if (typeof Map.groupBy !== 'function') {
  Object.defineProperty(Map, 'groupBy', {
    configurable: true,
    writable: true,
    value(items, key) {
      const groups = new Map();
      let index = 0;
      for (const item of items) {
        const k = key(item, index++);
        const group = groups.get(k);
        if (group) group.push(item);
        else groups.set(k, [item]);
      }
      return groups;
    },
  });
}

if (typeof Object.groupBy !== 'function') {
  Object.defineProperty(Object, 'groupBy', {
    configurable: true,
    writable: true,
    value(items, key) {
      const groups = Object.create(null);
      let index = 0;
      for (const item of items) (groups[key(item, index++)] ??= []).push(item);
      return groups;
    },
  });
}

if (typeof Promise.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value() {
      let resolve;
      let reject;
      const promise = new this((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
