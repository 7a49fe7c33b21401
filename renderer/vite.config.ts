import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const rendererDir = path.dirname(fileURLToPath(import.meta.url));
const coreDir = path.resolve(rendererDir, '../src') + path.sep;

/**
 * The renderer may import only *types* from the core (src/api/contract.ts). Type imports vanish
 * before bundling, so any module from src/ that reaches the bundle is a value import: fail loudly.
 */
function coreImportGuard(): Plugin {
  return {
    name: 'labdesk-core-import-guard',
    load(id) {
      if (path.resolve(id.split('?')[0]).startsWith(coreDir)) {
        throw new Error(
          `The renderer imported a value from the core (${id}). Use \`import type\` from src/api/contract.ts only.`,
        );
      }
      return null;
    },
  };
}

// LABDESK_SERVER=http://127.0.0.1:<port> lets `npx vite -c renderer/vite.config.ts` talk to a running
// `labdesk serve` while developing (same-origin /api through the dev proxy).
const devServer = process.env.LABDESK_SERVER;

export default defineConfig({
  root: rendererDir,
  base: './',
  plugins: [coreImportGuard()],
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: path.resolve(rendererDir, '../dist/renderer'),
    emptyOutDir: true,
    // plotly alone is ~3.5 MB minified; it is split into its own lazily loaded chunk.
    chunkSizeWarningLimit: 5000,
    rolldownOptions: {
      // Mantine marks modules "use client" for React Server Components; meaningless in this SPA.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: devServer
    ? {
        proxy: {
          '/api': {
            target: devServer,
            // The server only answers its own Host and refuses foreign Origins (DNS rebinding, CSRF):
            // present dev requests as its own.
            changeOrigin: true,
            configure: (proxy) => proxy.on('proxyReq', (req) => req.removeHeader('origin')),
          },
        },
      }
    : undefined,
});
