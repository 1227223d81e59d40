import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";

// The API server the dev server forwards to (the server serves the built app itself).
const API_TARGET = process.env.API_PROXY_TARGET ?? "http://127.0.0.1:8787";

export default defineConfig({
  plugins: [
    VitePWA({
      strategies: "injectManifest",
      srcDir: "src",
      filename: "sw.ts",
      registerType: "autoUpdate",
      // main.ts registers /sw.js itself (production builds only).
      injectRegister: false,
      // The shell: html, scripts, styles, icons (the web manifest is added by the plugin).
      injectManifest: { globPatterns: ["**/*.{js,css,html,svg}"] },
      manifest: {
        name: "Shopping List",
        short_name: "Shopping",
        description: "Shared shopping lists that work offline.",
        start_url: "/",
        scope: "/",
        display: "standalone",
        background_color: "#f6f7f4",
        theme_color: "#1f6f4a",
        icons: [{ src: "/icon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" }],
      },
      // globPatterns already has the icon; listing it twice would precache it twice.
      includeManifestIcons: false,
      devOptions: { enabled: false },
    }),
  ],
  server: {
    proxy: {
      // SSE pokes stream through the same proxy: no buffering, no timeout.
      "/api": { target: API_TARGET, changeOrigin: false, timeout: 0, proxyTimeout: 0 },
    },
  },
  preview: { proxy: { "/api": { target: API_TARGET, timeout: 0, proxyTimeout: 0 } } },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
});
