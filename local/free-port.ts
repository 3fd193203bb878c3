import { createServer } from 'node:net';

export const LOOPBACK_HOST = '127.0.0.1';

/**
 * A TCP port that is free on the loopback interface right now: the kernel picks one for a
 * throw-away listener (port 0), which is closed before the port is handed out. Another process
 * could take it in between; callers that spawn a server on it retry on a bind failure.
 */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, LOOPBACK_HOST, () => {
      const address = probe.address();
      if (address === null || typeof address === 'string') {
        probe.close();
        reject(new Error('The port probe did not get a TCP address'));
        return;
      }
      const { port } = address;
      probe.close((error) => (error ? reject(error) : resolve(port)));
    });
  });
}
