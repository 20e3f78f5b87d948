import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { X509Certificate } from "node:crypto";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, DEMO_JWT_SECRET, loadConfig } from "../../signaling/config";
import { createLocalCertificates, type LocalCertificates } from "../../signaling/tls/localCa";
import { redirectTarget } from "../../signaling/tls/serve";
import { ok, type TestSocket } from "../helpers/client";
import { buildUnit, tokenFor } from "../helpers/factories";
import { startTestServer, type TestServer } from "../helpers/server";

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(url: string, options: https.RequestOptions = {}): Promise<Answer> {
  const client = url.startsWith("https:") ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(url, options, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
  });
}

let dir: string;
let certs: LocalCertificates;
let server: TestServer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-tls-"));
  certs = createLocalCertificates({ names: ["localhost", "127.0.0.1"], organization: "Tỉnh Thử" });
  fs.writeFileSync(path.join(dir, "server.crt"), certs.server.certPem);
  fs.writeFileSync(path.join(dir, "server.key"), certs.server.keyPem, { mode: 0o600 });
  server = await startTestServer({ TLS_CERT: path.join(dir, "server.crt"), TLS_KEY: path.join(dir, "server.key"), HTTP_REDIRECT_PORT: "0" });
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("local certificate authority", () => {
  it("signs a server certificate for the given names that chains to the CA", () => {
    const ca = new X509Certificate(certs.ca.certPem);
    const leaf = new X509Certificate(certs.server.certPem);
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkHost("localhost")).toBe("localhost");
    expect(leaf.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(leaf.checkHost("example.org")).toBeUndefined();
  });
});

describe("HTTPS served by the server", () => {
  it("answers over HTTPS, trusted through the local CA, with HSTS", async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const answer = await get(`${server.url}/api/health`, { ca: certs.ca.certPem });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ status: "ok" });
    expect(answer.headers["strict-transport-security"]).toBe("max-age=31536000");
  });

  it("is refused by a client that does not trust the CA (the certificate is really checked)", async () => {
    await expect(get(`${server.url}/api/health`)).rejects.toMatchObject({ code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" });
  });

  it("redirects plain HTTP to the same path over HTTPS, without HSTS", async () => {
    expect(server.redirectUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const answer = await get(`${server.redirectUrl}/cases/abc?tab=history`);
    expect(answer.status).toBe(308);
    expect(answer.headers.location).toBe(`${server.url}/cases/abc?tab=history`);
    expect(answer.headers["strict-transport-security"]).toBeUndefined();
  });

  it("does not echo a forged Host header into the redirect", async () => {
    const answer = await get(`${server.redirectUrl}/`, { headers: { host: "evil.example/<script>" } });
    expect(answer.status).toBe(400);
    expect(answer.headers.location).toBeUndefined();
  });

  it("carries socket.io over wss:// (signed-in request answered)", async () => {
    const unit = await buildUnit(server.db);
    const { token } = await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: ["officer"] });
    const socket: TestSocket = io(server.url, { transports: ["websocket"], auth: { token, lang: "en" }, reconnection: false, forceNew: true, ca: certs.ca.certPem });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", () => resolve());
        socket.once("connect_error", reject);
      });
      expect(socket.io.engine.transport.name).toBe("websocket");
      const caps = await ok(socket, "getRouterRtpCapabilities", {});
      expect(caps.rtpCapabilities.codecs?.length).toBeGreaterThan(0);
    } finally {
      socket.disconnect();
    }
  });
});

describe("plain HTTP (no certificate configured)", () => {
  it("sends no HSTS header", async () => {
    const plain = await startTestServer();
    try {
      expect(plain.url).toMatch(/^http:\/\//);
      const answer = await get(`${plain.url}/api/health`);
      expect(answer.status).toBe(200);
      expect(answer.headers["strict-transport-security"]).toBeUndefined();
    } finally {
      await plain.close();
    }
  });
});

describe("redirect target", () => {
  const request = (url: string, host?: string) => ({ url, headers: host === undefined ? {} : { host } }) as http.IncomingMessage;

  it("keeps path and query, drops the default port, and prefers PUBLIC_URL", () => {
    expect(redirectTarget(request("/a?b=1", "cau-noi.tinh.gov.vn"), 443, undefined)).toBe("https://cau-noi.tinh.gov.vn/a?b=1");
    expect(redirectTarget(request("/", "10.0.0.5:80"), 8443, undefined)).toBe("https://10.0.0.5:8443/");
    expect(redirectTarget(request("/x", "[fd00::5]:80"), 443, undefined)).toBe("https://[fd00::5]/x");
    expect(redirectTarget(request("/x", "anything"), 443, "https://hop.tinh.gov.vn")).toBe("https://hop.tinh.gov.vn/x");
    // A protocol-relative path stays a path on this site.
    expect(redirectTarget(request("//evil.example/x", "anything"), 443, "https://hop.tinh.gov.vn")).toBe("https://hop.tinh.gov.vn//evil.example/x");
    expect(redirectTarget(request("//evil.example/x", "10.0.0.5"), 443, undefined)).toBe("https://10.0.0.5//evil.example/x");
  });

  it("refuses a missing or malformed Host", () => {
    expect(redirectTarget(request("/"), 443, undefined)).toBeUndefined();
    expect(redirectTarget(request("/", "a b"), 443, undefined)).toBeUndefined();
    expect(redirectTarget(request("/", "x@evil.example"), 443, undefined)).toBeUndefined();
  });
});

describe("TLS configuration", () => {
  it("refuses a certificate without its key, and a redirect port without TLS", () => {
    expect(() => loadConfig({ TLS_CERT: "/x.crt" })).toThrow(ConfigError);
    expect(() => loadConfig({ HTTP_REDIRECT_PORT: "80" })).toThrow(ConfigError);
    expect(loadConfig({ TLS_CERT: "/x.crt", TLS_KEY: "/x.key" }).auth.cookieSecure).toBe(true);
  });
});
