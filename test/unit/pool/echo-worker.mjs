// A minimal pool worker for the pool tests: answers a task { wait } after `wait` ms with an 8-byte buffer.
import { setTimeout as sleep } from 'node:timers/promises';
export default async function echo(task) {
  await sleep(task.wait ?? 0);
  return new ArrayBuffer(8);
}
