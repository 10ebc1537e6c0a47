import { parentPort, workerData } from 'node:worker_threads';
import { startOwampServer } from '../electron/core/measure/owamp/server.ts';
import { startTwampLightReflector } from '../electron/core/measure/twamp/light.ts';

/** Runs one of our responders in its own thread, so the benchmark's sender does not share its event loop. */
const kind = (workerData as { kind: 'twamp-light' | 'owamp' }).kind;
const handle =
  kind === 'owamp'
    ? await startOwampServer({ host: '127.0.0.1', port: 0, endDelayMs: 50, limits: { maxPackets: 1_000_000, maxBitsPerSecond: 10_000_000_000 } })
    : await startTwampLightReflector({ host: '127.0.0.1', port: 0, sequence: 'copy' });
parentPort?.postMessage({ port: handle.port });
parentPort?.on('message', async (message: unknown) => {
  if (message === 'close') {
    await handle.close();
    parentPort?.postMessage({ closed: true });
  }
});
