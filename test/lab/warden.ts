// Started detached by Lab.up, outside the test process's group: watches the lab's owner and
// removes the lab if the owner dies without taking it down (Ctrl-C on vitest kills its workers
// before their own cleanup can finish; SIGKILL allows none). Exits once the lab is gone.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { destroyLabSync, ownerAlive, readRecord } from './registry.ts';

const POLL_MS = 250;
const MAX_LIFETIME_MS = 12 * 60 * 60 * 1000;

export interface Warden {
  readonly pid: number | null;
  /** Ends the warden (the lab is down) and resolves once it has exited, 2 s at most. */
  stop(): Promise<void>;
}

/** Starts the warden of lab `id`, in its own process group so Ctrl-C does not reach it. */
export function startWarden(id: string): Warden {
  const script = fileURLToPath(import.meta.url);
  const flags = process.features.typescript ? [] : ['--experimental-strip-types', '--disable-warning=ExperimentalWarning'];
  const child = spawn(process.execPath, [...flags, script, id], { detached: true, stdio: 'ignore' });
  child.unref();
  const exited = new Promise<void>((resolve) => {
    if (child.pid === undefined) resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  return {
    pid: child.pid ?? null,
    async stop() {
      // The warden is unref'd so that it never keeps its owner alive. While we wait for it to
      // exit, though, something must hold the event loop open: in a plain Node script (no
      // vitest worker keeping the loop busy) `await lab.down()` is often the only thing left,
      // and with only unref'd handles Node ends the process mid-await ("unsettled top-level
      // await", exit code 13). So: ref the child and use a ref'd timer until it has gone.
      child.ref();
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const gone = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 2000)))]);
      clearTimeout(timer);
      if (!gone) child.kill('SIGKILL');
      child.unref();
    },
  };
}

function watch(id: string): void {
  const deadline = Date.now() + MAX_LIFETIME_MS;
  const timer = setInterval(() => {
    const record = readRecord(id);
    if (!record || record.owner === null || Date.now() > deadline) {
      clearInterval(timer);
    } else if (!ownerAlive(record.owner)) {
      clearInterval(timer);
      destroyLabSync(id, record.nodes);
    }
  }, POLL_MS);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const id = process.argv[2];
  if (id) watch(id);
}
