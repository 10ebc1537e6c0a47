import { execa, type ResultPromise } from 'execa';
import { PSW_BIN } from './psw.ts';

export interface ServeProcess {
  url: string;
  port: number;
  token: string;
  child: ResultPromise;
  stop(): Promise<void>;
}

/** `psw serve` as a real child process, as a user would start it. */
export async function startPswServe(db: string): Promise<ServeProcess> {
  const child = execa(process.execPath, [PSW_BIN, 'serve', '--port', '0', '--json', '--db', db], { reject: false, stdin: 'ignore', forceKillAfterDelay: 3000, env: { PSW_VALIDATE_OUTPUTS: '1' } });
  const info = await new Promise<{ url: string; port: number; token: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('psw serve did not print its URL within 15 s')), 15_000);
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n')[0];
      if (buffer.includes('\n') && line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as { url: string; port: number; token: string });
      }
    });
    void child.then((r) => reject(new Error(`psw serve exited: ${String(r.stderr)}`)));
  });
  return {
    ...info,
    child,
    stop: async () => {
      child.kill('SIGTERM');
      await child;
    },
  };
}
