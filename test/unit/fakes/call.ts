// A raw HTTP call for the emulator tests: no redirects followed, the body kept as text and, when
// it parses, as JSON too (null otherwise).
export interface Res<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  json: T;
}

export async function call<T = Record<string, unknown>>(url: string, init: RequestInit = {}): Promise<Res<T>> {
  const r = await fetch(url, { redirect: 'manual', ...init });
  const text = await r.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: r.status, headers: r.headers, text, json: json as T };
}
