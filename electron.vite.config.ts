import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { contractNames } from './contract-names.config';
import { CSP_PLACEHOLDER, RENDERER_CSP } from './src/shared/csp';

// One build produces the Electron shell, the plain-Node entry points (CLI, browser mode)
// that share the same core chunks, the sandboxed preload and the renderer.
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/main/cli.ts'),
          browser: resolve(__dirname, 'src/main/browser.ts'),
        },
      },
    },
  },
  preload: {
    define: contractNames,
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      // electron-vite leaves bundles unminified; the renderer is what the window parses at start.
      minify: true,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/renderer/index.html') },
      },
    },
    plugins: [
      react(),
      // index.html's CSP meta tag comes from src/shared/csp.ts (the bridge sends the same header).
      {
        name: 'settle-renderer-csp',
        transformIndexHtml: (html: string) => {
          if (!html.includes(CSP_PLACEHOLDER)) throw new Error('index.html lost its CSP placeholder');
          return html.replace(CSP_PLACEHOLDER, RENDERER_CSP);
        },
      },
    ],
  },
});
