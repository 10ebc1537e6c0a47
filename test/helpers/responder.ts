import { execa } from 'execa';
import { PSW_BIN } from './psw.ts';

export interface Responder {
  port: number;
  stop(): Promise<void>;
}

/** `psw responder KIND --port 0 --json` as a child process; resolves once it announced its port. */
export async function startResponder(kind: 'owamp' | 'twamp' | 'twamp-light', listen = '127.0.0.1', extraArgs: string[] = []): Promise<Responder> {
  const child = execa(process.execPath, [PSW_BIN, 'responder', kind, '--listen', listen, '--port', '0', '--json', ...extraArgs], { reject: false, stdin: 'ignore', forceKillAfterDelay: 3000 });
  const stop = async () => {
    child.kill('SIGTERM');
    await child;
  };
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`psw responder ${kind} did not announce itself within 15 s`)), 15_000);
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      if (!buffer.includes('\n')) return;
      clearTimeout(timer);
      const announce = JSON.parse(buffer.split('\n')[0] ?? '') as { responder?: unknown; port?: unknown };
      if (announce.responder !== kind || typeof announce.port !== 'number') reject(new Error(`unexpected announcement ${buffer}`));
      else resolve(announce.port);
    });
    void child.then((r) => reject(new Error(`psw responder exited: ${String(r.stderr)}`)));
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { port, stop };
}
