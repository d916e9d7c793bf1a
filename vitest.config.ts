import { defineConfig } from 'vitest/config';
// Vitest 5 wants Node 22.12+; this fills in the few built-ins it uses that Node 20 lacks.
import './tests/support/node-compat.mjs';

const root = import.meta.dirname;
const alias = { '@': root };

/**
 * Three layers (see tests/README.md):
 * - unit: next to the code, fast, fully parallel;
 * - integration: a real server on an ephemeral port with a real embedded database, one server per file;
 * - e2e: a real browser (system Chromium) against a real server.
 * Groups run one after the other (unit first) so slow layers never starve the fast one of the 2 CPU cores.
 */
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          root,
          include: ['lib/**/*.test.ts', 'server/**/*.test.ts', 'components/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          root,
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Each file starts its own server (~300 MB, a Next.js app and a database); two at a time on 2 cores.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          root,
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
