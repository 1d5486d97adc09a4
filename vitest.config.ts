import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{contract,kiosk,drivers,workflows,central,protocol,demo,renderer,test/unit}/**/*.test.{ts,tsx}'],
    exclude: ['node_modules/**', 'renderer/dist/**'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
