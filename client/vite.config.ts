import path from "node:path";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { compression } from "vite-plugin-compression2";

const clientRoot = path.dirname(fileURLToPath(import.meta.url));
const server = process.env.CAU_NOI_SERVER ?? "http://127.0.0.1:3000";

export default defineConfig({
  root: clientRoot,
  // Brotli and gzip copies of every text asset, made once at build time, so the server sends a commune PC
  // or a citizen's phone ~4x fewer bytes without compressing on each request (signaling/http/app.ts).
  plugins: [react(), compression({ algorithms: ["brotliCompress", "gzip"], include: /\.(js|css|html|svg|json)$/, threshold: 1024 })],
  build: { outDir: path.join(clientRoot, "dist"), emptyOutDir: true, target: "es2020", sourcemap: true },
  server: {
    proxy: {
      "/api": server,
      "/socket.io": { target: server, ws: true },
    },
  },
});
