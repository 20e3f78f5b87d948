import fs from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, type Page, chromium, expect, test } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium";
import { expectFramesRising } from "./media-stats";
import { type OwnServer, openPage, startOwnServer } from "./ownServer";
import { joinRoom } from "./session";
import { homeTrusting, tlsInit } from "./trustStore";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Issue 16 item 1: meeting PCs reach the server over https:// with a certificate from the province's
 * own CA (`npm run tls:init`), trusted the way README › HTTPS tells the IT officer to install it: in the
 * NSS database Chromium reads on Linux. No --ignore-certificate-errors, no ignoreHTTPSErrors: a browser
 * that does not trust the CA refuses the page, which the second and third tests show, so trust really
 * comes from the installed CA.
 */

/** Chromium may be told to skip certificate checks only through these; none may appear here. */
const CERTIFICATE_BYPASSES = ["--ignore-certificate-errors", "--ignore-certificate-errors-spki-list", "--allow-insecure-localhost"];

/** What the page's address bar and sockets say about the connection. */
function connection(page: Page): Promise<{ protocol: string; secure: boolean; sockets: string[] }> {
  return page.evaluate(() => ({
    protocol: location.protocol,
    secure: window.isSecureContext,
    sockets: (window.__webSockets ?? []).map((socket) => socket.url),
  }));
}

test.describe("HTTPS with the tls:init CA trusted by Chromium", () => {
  let dir: string;
  let server: OwnServer;
  let trusting: Browser;
  let stranger: https.Server;
  let strangerUrl: string;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    fs.mkdirSync(path.join(root, "data", "test"), { recursive: true });
    dir = fs.mkdtempSync(path.join(root, "data", "test", "https-"));
    const province = tlsInit(path.join(dir, "tls"), ["localhost", "127.0.0.1"]);
    // A second CA that no store trusts, with an otherwise identical certificate for the same names.
    const other = tlsInit(path.join(dir, "tls-other"), ["localhost", "127.0.0.1"]);
    const home = homeTrusting(path.join(dir, "home"), province.caCert);

    server = await startOwnServer(path.join(dir, "server"), { TLS_CERT: province.cert, TLS_KEY: province.key });
    stranger = https.createServer({ cert: fs.readFileSync(other.cert), key: fs.readFileSync(other.key) }, (_req, res) => res.end("stranger"));
    await new Promise<void>((resolve) => stranger.listen(0, "127.0.0.1", resolve));
    strangerUrl = `https://127.0.0.1:${(stranger.address() as AddressInfo).port}/`;

    // Only this Chromium process sees the NSS database: HOME is its own, the machine's stores are untouched.
    trusting = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, env: { ...process.env, HOME: home } });
  });

  test.afterAll(async () => {
    await trusting?.close();
    await new Promise<void>((resolve) => (stranger ? stranger.close(() => resolve()) : resolve()));
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("the server's certificate is trusted through the installed CA; another CA's certificate is refused", async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(CHROMIUM_ARGS.filter((arg) => CERTIFICATE_BYPASSES.some((bypass) => arg.startsWith(bypass)))).toEqual([]);
    const context = await trusting.newContext({ ignoreHTTPSErrors: false });
    try {
      const page = await context.newPage();
      const health = await page.goto(`${server.url}/api/health`);
      expect(health?.status()).toBe(200);
      expect(await health?.json()).toMatchObject({ status: "ok" });
      expect((await health?.allHeaders())?.["strict-transport-security"]).toBe("max-age=31536000");
      // The DNS name in the certificate works as well as the IP address.
      const byName = await page.goto(`${server.url.replace("127.0.0.1", "localhost")}/api/health`);
      expect(byName?.status()).toBe(200);

      await expect(page.goto(strangerUrl)).rejects.toThrow(/ERR_CERT_AUTHORITY_INVALID/);
    } finally {
      await context.close();
    }
  });

  test("the same Chromium without the CA in its store refuses the server", async ({ browser }) => {
    // Playwright's own browser: same executable and flags, the test process's HOME, no cau-noi CA.
    const context = await browser.newContext({ ignoreHTTPSErrors: false });
    try {
      const page = await context.newPage();
      await expect(page.goto(`${server.url}/api/health`)).rejects.toThrow(/ERR_CERT_AUTHORITY_INVALID/);
    } finally {
      await context.close();
    }
  });

  test("over https:// a chair and a site sign in, join a room and decode each other's video", async () => {
    test.setTimeout(240_000);
    const room = "giao-ban-https";
    const chair = await openPage(trusting, server.url, "lanhdao", `/?room=${room}`);
    await joinRoom(chair, room);
    const site = await openPage(trusting, server.url, "diemcau-kinhbac", `/?room=${room}`);
    await joinRoom(site, room);
    await expectFramesRising(site, "the site decodes the chair's video over the HTTPS session");
    await expectFramesRising(chair, "the chair decodes the site's video over the HTTPS session");

    for (const page of [chair, site]) {
      const { protocol, secure, sockets } = await connection(page);
      expect(protocol).toBe("https:");
      expect(secure).toBe(true);
      // socket.io went over TLS too (wss://), to the same server.
      expect(sockets.length).toBeGreaterThan(0);
      for (const socket of sockets) expect(socket.startsWith(`${server.url.replace("https:", "wss:")}/`)).toBe(true);
    }
    await chair.context().close();
    await site.context().close();
  });
});
