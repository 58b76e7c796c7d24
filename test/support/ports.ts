// Ports for tests come from the OS, never a fixed well-known one (the default OAuth redirect port
// included): another program, or another test run, may hold it.
import { createServer } from 'node:net';

/** A loopback port the OS says is free right now. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((res) => srv.listen(0, '127.0.0.1', () => res()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((res) => srv.close(() => res()));
  return port;
}

/** A loopback OAuth redirect URI on a free port. */
export async function freeRedirectUri(): Promise<string> {
  return `http://localhost:${await freePort()}/callback`;
}
