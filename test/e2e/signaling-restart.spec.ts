import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, type Page, expect, test } from "@playwright/test";
import { inboundMedia, recordPeerConnections } from "./media-stats";
import { joinRoom, signIn } from "./session";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * The signaling process killed with SIGKILL under a live briefing, then started again on the same port
 * and database. It needs a server of its own (the shared e2e server must outlive this spec), started
 * as one node process from the sources (`node --import tsx signaling/main.ts`; production runs the same code
 * compiled, `npm start`), so SIGKILL hits the server itself.
 */
interface Server {
  child: ChildProcess;
  url: string;
  log: string[];
}

function start(env: NodeJS.ProcessEnv): Promise<Server> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join("signaling", "main.ts")], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  const log: string[] = [];
  return new Promise<Server>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log.join("\n")}`)), 120_000);
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) {
        log.push(line);
        const found = /is running:\s+(http:\/\/\S+)/.exec(line);
        if (found) {
          clearTimeout(timer);
          resolve({ child, url: found[1]!, log });
        }
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening:\n${log.join("\n")}`));
    });
  });
}

async function stop(server: Server, signal: NodeJS.Signals): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.child.once("exit", () => resolve()));
  server.child.kill(signal);
  await exited;
}

async function openPage(browser: Browser, baseURL: string, username: string, roomPath: string): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await recordPeerConnections(page);
  await page.goto(roomPath);
  await signIn(page, username);
  return page;
}

async function framesRising(page: Page, message: string): Promise<void> {
  let last = -1;
  await expect
    .poll(
      async () => {
        const now = (await inboundMedia(page)).framesDecoded;
        const risen = last >= 0 && now > last;
        last = now;
        return risen;
      },
      { message, timeout: 60_000, intervals: [500] },
    )
    .toBe(true);
}

test("the signaling process killed and restarted: both sites come back with moderation, hands and chat, without a reload", async ({ browser }) => {
  test.setTimeout(240_000);
  const dir = fs.mkdtempSync(path.join(root, "data", "test", "restart-"));
  const databaseFile = path.join(dir, "cau-noi.db");
  fs.copyFileSync(path.join(root, "data", "test", "template.db"), databaseFile);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "test",
    CAU_NOI_DEMO: "1",
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: `file:${databaseFile}`,
    DATA_DIR: path.join(dir, "data"),
    LOG_LEVEL: "warn",
    MEDIASOUP_WORKERS: "1",
  };
  execFileSync(process.execPath, ["--import", "tsx", path.join("prisma", "seed.ts")], { cwd: root, env, stdio: "ignore" });
  let server = await start(env);
  const servers = [server];
  try {
    const room = "giao-ban-khoi-dong-may-chu";
    const chair = await openPage(browser, server.url, "lanhdao", `/?room=${room}`);
    await joinRoom(chair, room);
    const site = await openPage(browser, server.url, "diemcau-kinhbac", `/?room=${room}`);
    await joinRoom(site, room);
    await framesRising(site, "the site decodes the chair");

    // Room state worth keeping: the chair mutes everyone, the site raises its hand and writes.
    await chair.getByTestId("mute-all").click();
    await expect(site.getByTestId("toggle-mic")).toBeDisabled();
    await site.getByTestId("raise-hand").click();
    await expect(chair.getByTestId("queue-give-floor")).toHaveCount(1);
    await site.getByTestId("toggle-chat").click();
    await site.getByTestId("chat-input").fill("Phường Kinh Bắc xin phát biểu.");
    await site.getByTestId("chat-send").click();
    await expect(chair.getByTestId("chat-message")).toContainText("Phường Kinh Bắc xin phát biểu.");

    const killed = Date.now();
    await stop(server, "SIGKILL");
    for (const page of [chair, site]) await expect(page.getByTestId("room-status")).toHaveAttribute("data-status", "reconnecting");

    server = await start({ ...env, PORT: new URL(server.url).port });
    servers.push(server);
    const listening = Date.now();

    // Each page on its own: back in the room, then decoding the other's video on new transports.
    const back = await Promise.all(
      [chair, site].map(async (page) => {
        await expect(page.getByTestId("room-status")).toHaveAttribute("data-status", "joined", { timeout: 60_000 });
        const joined = Date.now();
        await framesRising(page, "media flows again after the restart");
        return { joined: joined - listening, media: Date.now() - listening };
      }),
    );
    for (const page of [chair, site]) await expect(page.locator('[data-testid="remote-tile"]')).toHaveCount(1);
    // Moderation and hands were stored by account; chat is in the database.
    await expect(site.getByTestId("toggle-mic")).toBeDisabled();
    await expect(chair.getByTestId("queue-give-floor")).toHaveCount(1);
    for (const page of [chair, site]) await expect(page.getByTestId("chat-message")).toContainText("Phường Kinh Bắc xin phát biểu.");
    console.log(`signaling restart: ${JSON.stringify({ serverStartMs: listening - killed, afterListening: { chair: back[0], site: back[1] } })}`);

    // The state keeps working on the new process: the chair gives the floor to the raised hand.
    await chair.getByTestId("queue-give-floor").click();
    await expect(site.getByTestId("toggle-mic")).toBeEnabled();

    // The record: each site's stay cut by the crash is closed and counted as a disconnection, not left
    // open for ever; the stay after the restart is the second one.
    await site.getByTestId("leave-button").click();
    await chair.getByTestId("leave-button").click();
    await chair.getByTestId("nav-meetings").click();
    await chair.locator(`[data-testid="meeting-row"][data-room="${room}"] a`).click();
    for (const name of ["Chủ tịch UBND tỉnh", "UBND phường Kinh Bắc"]) {
      const cells = chair.getByTestId("attendance-row").filter({ hasText: name }).locator("td");
      await expect(cells.nth(2), `${name} has left`).not.toHaveText("—");
      await expect(cells.nth(3), `${name}: two stays`).toHaveText("2");
      await expect(cells.nth(5), `${name}: one disconnection`).toHaveText("1");
    }
    for (const page of [chair, site]) await page.context().close();
  } finally {
    for (const each of servers) await stop(each, "SIGTERM");
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
