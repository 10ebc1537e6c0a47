import { execa, type ResultPromise } from 'execa';
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Iperf3Server {
  port: number;
  stop(): Promise<void>;
}

/** A real `iperf3 -s` on loopback, ready when it says it is listening. */
export async function startIperf3Server(options: { json?: boolean; bind?: string } = {}): Promise<Iperf3Server> {
  const port = await freePort();
  const args = ['-s', '-p', String(port), '--bind', options.bind ?? '127.0.0.1', '--forceflush'];
  if (options.json) args.push('-J');
  const child: ResultPromise = execa('iperf3', args, { reject: false, stdin: 'ignore', buffer: false, forceKillAfterDelay: 1000 });
  if (!options.json) {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('iperf3 -s did not start within 5 s')), 5000);
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('Server listening')) {
          clearTimeout(timer);
          resolve();
        }
      });
      void child.then(() => reject(new Error('iperf3 -s exited early')));
    });
  } else {
    // In -J mode the server prints nothing until a test ends; give it a moment to bind.
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    port,
    stop: async () => {
      child.kill('SIGTERM');
      await child;
    },
  };
}
