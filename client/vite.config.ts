import path from "node:path";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const clientRoot = path.dirname(fileURLToPath(import.meta.url));
const server = process.env.CAU_NOI_SERVER ?? "http://127.0.0.1:3000";

export default defineConfig({
  root: clientRoot,
  plugins: [react()],
  build: { outDir: path.join(clientRoot, "dist"), emptyOutDir: true, target: "es2020", sourcemap: true },
  server: {
    proxy: {
      "/api": server,
      "/socket.io": { target: server, ws: true },
    },
  },
});
