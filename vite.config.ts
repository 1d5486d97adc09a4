import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./renderer', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    target: 'es2022',
    reportCompressedSize: false,
    // One kiosk app, served from disk: a single chunk is fine (sizes are in npm run bench).
    chunkSizeWarningLimit: 2000,
    // The kiosk (index.html), and the office apps central serves: counter screen, waiting-room display, manager reports.
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('./renderer/index.html', import.meta.url)),
        counter: fileURLToPath(new URL('./renderer/counter.html', import.meta.url)),
        display: fileURLToPath(new URL('./renderer/display.html', import.meta.url)),
        reports: fileURLToPath(new URL('./renderer/reports.html', import.meta.url)),
        admin: fileURLToPath(new URL('./renderer/admin.html', import.meta.url)),
      },
    },
  },
  worker: { format: 'es' },
  server: { fs: { allow: [fileURLToPath(new URL('.', import.meta.url))] } },
});
