// Bounded fuzzing of browser mode's bridge (issue 11 §3): random raw HTTP requests and random
// WebSocket frames (with and without the token) over real sockets. After every batch the
// process must have thrown nothing and the contract must still answer.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Bridge } from '../../../src/main/core/bridge/server';
import { bridgeUnderAttack, collect, frame, openEvents, sendRaw, type FrameSpec } from './raw-peer';

const BATCHES = 8;
const RUNS_PER_BATCH = 75;

const token = 'fuzz-token-0123456789abcdef';

/** Path pieces that exercise decoding: good and broken escapes, traversal, odd bytes. */
const pathPiece = fc.oneof(
  fc.constantFrom('/', '/index.html', '/api/board.get', '/api/test.x', '/events', '/..', '/%2e%2e', '%', '%ff', '%E0%A4%A', '%c0%af', '%00', '//', '?', '#', '*'),
  fc.string({ maxLength: 12 }),
  fc.stringMatching(/^(%[0-9A-Fa-f]{0,2}){1,6}$/),
);
const headerLine = (port: number): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constant(`Host: 127.0.0.1:${port}`),
    fc.constant(`Host: localhost:${port}`),
    fc.constant('Host: evil.example'),
    fc.constant(`Authorization: Bearer ${token}`),
    fc.constant('Authorization: Bearer wrong'),
    fc.constant(`Origin: http://127.0.0.1:${port}`),
    fc.constant('Origin: http://evil.example'),
    fc.constant('Transfer-Encoding: chunked'),
    fc.nat({ max: 2_000_000 }).map((n) => `Content-Length: ${n}`),
    fc.constant('Content-Length: -1'),
    fc.constant('Upgrade: websocket'),
    fc.constant('Connection: Upgrade'),
    fc.constant(`Sec-WebSocket-Protocol: settle, token.${token}`),
    fc.string({ maxLength: 30 }),
  );

/** A raw HTTP request: mostly well-formed framing around hostile parts, sometimes plain noise. */
function httpRequest(port: number): fc.Arbitrary<Uint8Array> {
  const structured = fc
    .record({
      method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'OPTIONS', 'BREW', 'G\u00e9T', ''),
      path: fc.array(pathPiece, { minLength: 1, maxLength: 4 }).map((p) => p.join('')),
      version: fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 extra', ''),
      headers: fc.array(headerLine(port), { maxLength: 8 }),
      body: fc.string({ maxLength: 200 }),
    })
    .map(({ method, path, version, headers, body }) => Buffer.from(`${method} ${path} ${version}\r\n${headers.join('\r\n')}\r\n\r\n${body}`, 'latin1'));
  return fc.oneof({ weight: 4, arbitrary: structured }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }) });
}

/** Random frames, valid and not: any opcode, RSV bits, masking, declared lengths up to 2^40. */
const frameSpec: fc.Arbitrary<FrameSpec> = fc.record(
  {
    fin: fc.boolean(),
    rsv: fc.integer({ min: 0, max: 7 }),
    opcode: fc.integer({ min: 0, max: 15 }),
    masked: fc.boolean(),
    payload: fc.uint8Array({ maxLength: 300 }),
    declaredLength: fc.oneof(fc.nat({ max: 70_000 }), fc.constant(2 ** 40)),
  },
  { requiredKeys: ['opcode', 'payload'] },
);
const wsAttack = fc.record({
  withToken: fc.boolean(),
  chunks: fc.array(fc.oneof({ weight: 4, arbitrary: frameSpec.map(frame) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)) }), {
    minLength: 1,
    maxLength: 5,
  }),
});

describe('bridge fuzzing', () => {
  let world: Awaited<ReturnType<typeof bridgeUnderAttack>>;
  let bridge: Bridge;
  const expectAliveAndAnswering = (): Promise<void> => world.alive();

  beforeAll(async () => {
    world = await bridgeUnderAttack(token);
    bridge = world.bridge;
  });
  afterAll(() => world.close());

  it('survives random raw HTTP requests', async () => {
    for (let batch = 0; batch < BATCHES; batch++) {
      await fc.assert(
        fc.asyncProperty(httpRequest(bridge.port), async (bytes) => {
          await sendRaw(bridge, bytes, { ms: 300, halfClose: true });
        }),
        { numRuns: RUNS_PER_BATCH, seed: 1100 + batch },
      );
      await expectAliveAndAnswering();
    }
  }, 30_000);

  it('survives random WebSocket frames, with and without the token', async () => {
    for (let batch = 0; batch < BATCHES; batch++) {
      await fc.assert(
        fc.asyncProperty(wsAttack, async ({ withToken, chunks }) => {
          const { socket } = await openEvents(bridge, withToken ? token : 'wrong-token-wrong-token');
          const done = collect(socket, 150);
          for (const chunk of chunks) if (!socket.destroyed) socket.write(chunk);
          if (!socket.destroyed) socket.end();
          await done;
        }),
        { numRuns: RUNS_PER_BATCH, seed: 2100 + batch },
      );
      await expectAliveAndAnswering();
    }
  }, 30_000);
});
