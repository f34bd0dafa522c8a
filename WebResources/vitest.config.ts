import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "jsdom",
    include: ["test/unit/**/*.test.ts", "test/browser/**/*.test.ts"],
    testTimeout: 30000,
  },
});
