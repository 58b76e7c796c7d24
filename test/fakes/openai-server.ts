// An OpenAI-compatible fake for tests (node:http on 127.0.0.1, a free port): POST
// /v1/chat/completions, streamed (SSE chunks, then `data: [DONE]`) and not, and GET /v1/models.
// It checks `Authorization: Bearer <key>` like OpenAI (401 with OpenAI's error body), answers
// 404 model_not_found for a model it does not list, and replies from a script: a queue of replies,
// or a function of the request. A reply can be text (streamed in chunks), an HTTP error, a delay, a
// stall between chunks, a hang or a dropped connection. Every request is recorded (headers, body,
// messages) so tests can assert what reached the model.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FakeMessage {
  role: string;
  content: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The bearer token sent, or null. */
  bearer: string | null;
  body: Record<string, unknown> | null;
  messages: FakeMessage[];
  stream: boolean;
  model: string | null;
}

export interface FakeReply {
  /** The assistant's text. */
  content?: string;
  /** Explicit stream pieces (default: `content` cut into pieces of `chunkSize`). */
  chunks?: string[];
  chunkSize?: number;
  /** Reported model (default: the requested one). */
  model?: string;
  /** Answer with this status and an OpenAI error body instead. */
  status?: number;
  error?: { message: string; type?: string; code?: string | null; param?: string | null };
  headers?: Record<string, string>;
  /** Before the response headers. */
  delayMs?: number;
  /** Between streamed chunks. */
  chunkDelayMs?: number;
  /** After this many chunks, stall forever (idle-timeout tests). */
  stallAfterChunks?: number;
  /** Never answer at all. */
  hang?: boolean;
  /** After this many chunks, destroy the socket. */
  dropAfterChunks?: number;
  /** After the chunks, send an error event inside the stream instead of [DONE]. */
  streamError?: { message: string; type?: string; code?: string | null };
}

export type Script = (req: RecordedRequest) => FakeReply | string;

export interface FakeOpenAi {
  /** e.g. http://127.0.0.1:54321/v1 */
  readonly baseURL: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Chat completion requests only. */
  chatRequests(): RecordedRequest[];
  /** Queues replies for the next chat completions, in order. */
  reply(...replies: (FakeReply | string)[]): void;
  /** Answers every chat completion (when the queue is empty) with a function of the request. */
  respondWith(script: Script | null): void;
  setApiKey(key: string | null): void;
  setModels(models: string[]): void;
  close(): Promise<void>;
}

export interface FakeOpenAiOptions {
  /** Required bearer token; null accepts any (or none), like a local server. Default 'sk-test-key'. */
  apiKey?: string | null;
  models?: string[];
  /** Refuse models not in `models` with 404 (default true). */
  strictModels?: boolean;
  /** Serve GET /v1/models (default true); some compatible servers do not. */
  modelsEndpoint?: boolean;
}

export const FAKE_KEY = 'sk-test-key';
export const FAKE_MODEL = 'gpt-fake-1';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function sendError(res: ServerResponse, status: number, error: NonNullable<FakeReply['error']>, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ error: { message: error.message, type: error.type ?? 'invalid_request_error', param: error.param ?? null, code: error.code ?? null } }));
}

function splitChunks(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function maskKey(key: string): string {
  return key.length <= 8 ? '***' : `${key.slice(0, 3)}${'*'.repeat(Math.max(4, key.length - 7))}${key.slice(-4)}`;
}

export async function startFakeOpenAi(opts: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  let apiKey = opts.apiKey === undefined ? FAKE_KEY : opts.apiKey;
  let models = opts.models ?? [FAKE_MODEL];
  const strict = opts.strictModels ?? true;
  const queue: (FakeReply | string)[] = [];
  let script: Script | null = null;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let counter = 0;

  const authorised = (rec: RecordedRequest, res: ServerResponse): boolean => {
    if (apiKey === null) return true;
    if (rec.bearer === null) {
      sendError(res, 401, {
        message:
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username. You can obtain an API key from https://platform.openai.com/account/api-keys.",
      });
      return false;
    }
    if (rec.bearer !== apiKey) {
      sendError(res, 401, {
        message: `Incorrect API key provided: ${maskKey(rec.bearer)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        code: 'invalid_api_key',
      });
      return false;
    }
    return true;
  };

  const chat = async (rec: RecordedRequest, res: ServerResponse): Promise<void> => {
    if (!rec.body || !Array.isArray(rec.body.messages)) {
      sendError(res, 400, { message: "Missing required parameter: 'messages'.", param: 'messages', code: 'missing_required_parameter' });
      return;
    }
    if (strict && (rec.model === null || !models.includes(rec.model))) {
      sendError(res, 404, { message: `The model \`${rec.model ?? ''}\` does not exist or you do not have access to it.`, code: 'model_not_found' });
      return;
    }
    const next = queue.shift() ?? (script ? script(rec) : undefined);
    if (next === undefined) {
      sendError(res, 500, { message: 'fake openai: no scripted reply for this request', type: 'server_error' });
      return;
    }
    const reply: FakeReply = typeof next === 'string' ? { content: next } : next;
    if (reply.hang) return;
    if (reply.delayMs) await sleep(reply.delayMs);
    if (reply.status && reply.status >= 400) {
      sendError(res, reply.status, reply.error ?? { message: `fake error ${reply.status}` }, reply.headers);
      return;
    }
    const id = `chatcmpl-fake${++counter}`;
    const created = Math.floor(Date.now() / 1000);
    const model = reply.model ?? rec.model ?? FAKE_MODEL;
    const content = reply.content ?? (reply.chunks ? reply.chunks.join('') : '');
    if (!rec.stream) {
      res.writeHead(200, { 'content-type': 'application/json', ...reply.headers });
      res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created,
          model,
          choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
          usage: { prompt_tokens: 100, completion_tokens: Math.ceil(content.length / 4), total_tokens: 100 + Math.ceil(content.length / 4) },
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', ...reply.headers });
    const event = (delta: Record<string, unknown>, finish: string | null): string =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
    res.write(event({ role: 'assistant', content: '' }, null));
    const chunks = reply.chunks ?? splitChunks(content, reply.chunkSize ?? 7);
    for (let i = 0; i < chunks.length; i++) {
      if (reply.dropAfterChunks !== undefined && i === reply.dropAfterChunks) {
        res.socket?.destroy();
        return;
      }
      if (reply.stallAfterChunks !== undefined && i === reply.stallAfterChunks) return;
      if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
      if (res.destroyed) return;
      res.write(event({ content: chunks[i] }, null));
    }
    if (reply.streamError) {
      res.write(`data: ${JSON.stringify({ error: { message: reply.streamError.message, type: reply.streamError.type ?? 'server_error', code: reply.streamError.code ?? null } })}\n\n`);
      res.end();
      return;
    }
    res.write(event({}, 'stop'));
    res.end('data: [DONE]\n\n');
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      let body: Record<string, unknown> | null;
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
      } catch {
        body = null;
      }
      const auth = req.headers.authorization;
      const bearer = typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : null;
      const messages = Array.isArray(body?.messages)
        ? (body.messages as { role?: unknown; content?: unknown }[]).map((m) => ({ role: String(m.role), content: typeof m.content === 'string' ? m.content : JSON.stringify(m.content) }))
        : [];
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const rec: RecordedRequest = {
        method: req.method ?? 'GET',
        path,
        headers: { ...req.headers },
        bearer,
        body,
        messages,
        stream: body?.stream === true,
        model: typeof body?.model === 'string' ? body.model : null,
      };
      requests.push(rec);
      if (!authorised(rec, res)) return;
      if (rec.method === 'GET' && path === '/v1/models' && opts.modelsEndpoint !== false) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' })) }));
        return;
      }
      if (rec.method === 'POST' && path === '/v1/chat/completions') {
        await chat(rec, res);
        return;
      }
      sendError(res, 404, { message: `Invalid URL (${rec.method} ${path})`, code: null });
    })().catch(() => {
      if (!res.headersSent) sendError(res, 500, { message: 'fake openai: internal error', type: 'server_error' });
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    chatRequests: () => requests.filter((r) => r.path === '/v1/chat/completions'),
    reply: (...replies) => void queue.push(...replies),
    respondWith: (s) => {
      script = s;
    },
    setApiKey: (k) => {
      apiKey = k;
    },
    setModels: (m) => {
      models = m;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound, then released), for "unreachable endpoint" tests. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
