import { defineConfig } from 'vite';

// The gateway serves dist/ at /dashboard/ (gateway/src/dashboard.ts), on the
// same origin as /graphql.
export default defineConfig({
  base: '/dashboard/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // ECharts is most of the bundle; one file is simpler to serve and cache.
    chunkSizeWarningLimit: 1_500,
  },
  server: {
    // `npm run dev -w @conecta/dashboard` against a gateway on its default port.
    proxy: { '/graphql': 'http://localhost:4000' },
  },
});
