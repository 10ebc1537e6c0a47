import { defineConfig } from 'vitest/config';

// Every workbench under test, in-process or a spawned `psw`, checks its outputs and events against the contract,
// and no serve/Electron workbench refreshes the discovery cache from the real Lookup Service on its own.
const env = { PSW_VALIDATE_OUTPUTS: '1', PSW_BACKGROUND_REFRESH: '0' };

// One run, four projects, one after the other (sequence.groupOrder): the lab's throughput and
// delay measurements must not share the two CI cores with the e2e browser. Everything that
// spawns real processes or sockets runs one file at a time.
export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['test/unit/**/*.test.ts', 'test/renderer/**/*.test.ts'],
          environment: 'node',
          env,
          testTimeout: 10_000,
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          env,
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'lab',
          sequence: { groupOrder: 2 },
          include: ['test/lab/**/*.test.ts'],
          environment: 'node',
          env,
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          sequence: { groupOrder: 3 },
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          env,
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
