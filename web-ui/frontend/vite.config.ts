import { defineConfig } from 'vite';

// `npm run dev` serves the app on :5173 and sends API calls to a running web-ui (default :8080).
export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/api': process.env.WEBUI_DEV_BACKEND ?? 'http://127.0.0.1:8080',
    },
  },
});
