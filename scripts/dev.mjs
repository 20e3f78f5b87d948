// Development: the server under `tsx watch` (restarts on change) and the Vite dev server (hot reload,
// proxies /api and /socket.io to the server). Ctrl+C stops both.
import { spawn } from "node:child_process";

const children = [
  spawn("node_modules/.bin/tsx", ["watch", "--clear-screen=false", "signaling/main.ts", "--demo"], { stdio: "inherit" }),
  spawn("node_modules/.bin/vite", ["--config", "client/vite.config.ts"], { stdio: "inherit" }),
];

const stop = () => {
  for (const child of children) child.kill("SIGINT");
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
for (const child of children) {
  child.on("exit", (code) => {
    if (code) {
      stop();
      process.exitCode = code;
    }
  });
}
