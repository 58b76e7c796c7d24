// The renderer's Content-Security-Policy, in one place: the build writes it into index.html's
// <meta http-equiv> (electron.vite.config.ts) and browser mode's bridge also sends it as a
// response header on HTML, so the two can never drift apart.
// Strict: scripts only from the app itself. Styles allow inline because Radix sets style
// attributes and injects small style tags; no remote fonts, scripts or images. connect-src
// allows the bridge's loopback WebSocket (browser mode).
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The placeholder index.html carries in its CSP meta tag until the build fills it in. */
export const CSP_PLACEHOLDER = '__SETTLE_RENDERER_CSP__';
