import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.{ts,tsx}"],
    environment: "node", // React tests opt into jsdom with a `@vitest-environment jsdom` comment
    restoreMocks: true,
  },
});
