import { defineConfig } from "@playwright/test";

// Debian's Chromium, never a downloaded one. Flags keep it off the network
// except for the loopback servers the tests start.
export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "tests/artifacts",
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    locale: "vi-VN",
    viewport: { width: 360, height: 740 },
    hasTouch: true,
    isMobile: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
});
