// The real-keychain test, run on its own because it needs a Secret Service (CI starts one with
// dbus-run-session and gnome-keyring-daemon; macOS and Windows use the user's keychain).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/integration/keychain/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
