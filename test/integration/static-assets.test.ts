import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";

/**
 * The built client is sent pre-compressed (brotli, else gzip, made at build time) and its content-hashed
 * assets are cached for good, so a commune PC or a citizen's phone downloads the app once, small.
 * A tiny stand-in build is enough: what is tested is how the server picks and labels the files.
 */

let server: TestServer;
let dist: string;
const script = "console.log('Cầu Nối');\n".repeat(400);

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

beforeAll(async () => {
  dist = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-dist-"));
  fs.mkdirSync(path.join(dist, "assets"));
  fs.writeFileSync(path.join(dist, "index.html"), '<!doctype html><script type="module" src="/assets/index-abc123.js"></script>');
  fs.writeFileSync(path.join(dist, "assets", "index-abc123.js"), script);
  fs.writeFileSync(path.join(dist, "assets", "index-abc123.js.br"), zlib.brotliCompressSync(script));
  fs.writeFileSync(path.join(dist, "assets", "index-abc123.js.gz"), zlib.gzipSync(script));
  fs.writeFileSync(path.join(dist, "emblem.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
  server = await startTestServer({ CLIENT_DIST: dist });
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(dist, { recursive: true, force: true });
});

describe("the built client on the wire", () => {
  it("sends brotli when the browser takes it, and caches a hashed asset for good", async () => {
    const answer = await get(`${server.url}/assets/index-abc123.js`, { "accept-encoding": "gzip, deflate, br" });
    expect(answer.status).toBe(200);
    expect(answer.headers["content-encoding"]).toBe("br");
    expect(answer.headers["content-type"]).toMatch(/javascript/);
    expect(answer.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(answer.headers.vary).toMatch(/accept-encoding/i);
    expect(answer.body.length).toBeLessThan(script.length / 4);
    expect(zlib.brotliDecompressSync(answer.body).toString()).toBe(script);
  });

  it("falls back to gzip, then to the plain file", async () => {
    const gzip = await get(`${server.url}/assets/index-abc123.js`, { "accept-encoding": "gzip" });
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(gzip.body).toString()).toBe(script);
    const plain = await get(`${server.url}/assets/index-abc123.js`, { "accept-encoding": "identity" });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
  });

  it("re-checks what is not content-hashed: index.html on every load, other files hourly", async () => {
    const page = await get(`${server.url}/tra-cuu`);
    expect(page.status).toBe(200);
    expect(page.headers["cache-control"]).toBe("no-cache");
    const emblem = await get(`${server.url}/emblem.svg`);
    expect(emblem.headers["cache-control"]).toBe("public, max-age=3600");
  });
});
