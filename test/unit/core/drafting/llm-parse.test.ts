import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { describe, expect, it } from 'vitest';
import { classifyLlmError, displayUrl, LlmError, parseDraftText } from '../../../../src/main/core/drafting/llm';

describe('parseDraftText', () => {
  it('reads "Subject:" then the body', () => {
    expect(parseDraftText('Subject: Invoice INV-1042 is overdue\n\nHi Jane,\n\nPlease pay.\n\nBirch')).toEqual({
      subject: 'Invoice INV-1042 is overdue',
      body: 'Hi Jane,\n\nPlease pay.\n\nBirch',
    });
  });

  it('tolerates Markdown, other languages, fences, CRLF and a "Body:" label', () => {
    expect(parseDraftText('**Subject:** Reminder\r\n\r\nBody:\nHello')).toEqual({ subject: 'Reminder', body: 'Hello' });
    expect(parseDraftText('Betreff: Zahlungserinnerung\n\nHallo')).toEqual({ subject: 'Zahlungserinnerung', body: 'Hallo' });
    expect(parseDraftText('```text\nSubject: Hi\n\nBody text\n```')).toEqual({ subject: 'Hi', body: 'Body text' });
  });

  it('accepts JSON and ignores any other field (no recipients from the model)', () => {
    const out = parseDraftText('{"subject":"S","body":"B\\nline","to":"attacker@evil.test","cc":["x@evil.test"]}');
    expect(out).toEqual({ subject: 'S', body: 'B\nline' });
  });

  it('falls back to no subject for plain text, and flattens a multi-line-looking subject', () => {
    expect(parseDraftText('Hi Jane,\nplease pay.')).toEqual({ subject: null, body: 'Hi Jane,\nplease pay.' });
    expect(parseDraftText('Subject:   Lots   of\tspace  \n\nx').subject).toBe('Lots of space');
    expect(parseDraftText('')).toEqual({ subject: null, body: '' });
  });
});

describe('classifyLlmError', () => {
  const ctx = { baseURL: 'http://user:pw@127.0.0.1:11434/v1', model: 'llama3', key: 'sk-secret-123456' };
  const apiError = (status: number, body: object): APIError => APIError.generate(status, body, undefined, new Headers());

  it('classifies connection failures, timeouts and aborts', () => {
    expect(classifyLlmError(new APIConnectionError({ message: 'ECONNREFUSED' }), ctx).kind).toBe('unreachable');
    expect(classifyLlmError(new APIConnectionError({ message: 'x' }), ctx).message).toContain('http://127.0.0.1:11434/v1');
    expect(classifyLlmError(new APIConnectionTimeoutError(), ctx).kind).toBe('timeout');
    const aborted = classifyLlmError(new APIUserAbortError(), ctx);
    expect(aborted.kind).toBe('aborted');
    expect(aborted.offerTemplates).toBe(false);
  });

  it('classifies HTTP errors and never echoes the key', () => {
    const auth = classifyLlmError(apiError(401, { error: { message: 'Incorrect API key provided: sk-secret-123456', code: 'invalid_api_key' } }), ctx);
    expect(auth).toMatchObject({ kind: 'auth', status: 401 });
    expect(auth.offerTemplates).toBe(true);
    expect(classifyLlmError(apiError(404, { error: { message: 'no model' } }), ctx).kind).toBe('model_not_found');
    expect(classifyLlmError(apiError(429, { error: { message: 'slow down', code: 'rate_limit_exceeded' } }), ctx).kind).toBe('rate_limited');
    expect(classifyLlmError(apiError(429, { error: { message: 'quota', code: 'insufficient_quota' } }), ctx).message).toMatch(/quota/);
    const server = classifyLlmError(apiError(500, { error: { message: 'boom for sk-secret-123456 and sk-other-abcdefgh' } }), ctx);
    expect(server.kind).toBe('server_error');
    expect(server.message).not.toContain('sk-secret');
    expect(server.message).not.toContain('sk-other');
    expect(classifyLlmError(apiError(400, { error: { message: 'context too long' } }), ctx).kind).toBe('bad_request');
    expect(classifyLlmError(new Error('weird'), ctx)).toBeInstanceOf(LlmError);
  });

  it('shows base URLs without credentials', () => {
    expect(displayUrl('https://u:p@example.com/v1/')).toBe('https://example.com/v1');
    expect(displayUrl('nonsense')).toBe('(invalid URL)');
  });
});
