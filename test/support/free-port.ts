import { once } from 'node:events';
import net from 'node:net';

/**
 * A local TCP port nothing listens on at this moment, for a server a test starts. Another process
 * may take it before that server listens: whoever starts one on it handles EADDRINUSE.
 */
export async function freePort(): Promise<number> {
  const probe = net.createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as net.AddressInfo;
  probe.close();
  await once(probe, 'close');
  return port;
}
