import { runAsProcess } from './main.ts';

await runAsProcess();
