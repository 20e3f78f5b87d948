import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import type { RequestHandler } from "express";
import type { TlsConfig } from "../config";

/**
 * The main server: HTTPS when a certificate is configured (browsers give camera and microphone only to
 * https:// pages off localhost), plain HTTP otherwise (the demo on 127.0.0.1, or behind a TLS proxy).
 */
export function createMainServer(tls: TlsConfig | undefined, listener: http.RequestListener): http.Server {
  if (!tls) return http.createServer(listener);
  // Read once at start-up: a missing or unreadable file stops the server with the file's name.
  const cert = readPem(tls.certFile, "TLS_CERT");
  const key = readPem(tls.keyFile, "TLS_KEY");
  return https.createServer({ cert, key, minVersion: "TLSv1.2" }, listener);
}

function readPem(file: string, variable: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new Error(`${variable}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`, { cause: error });
  }
}

/** A host name or address as it may appear in a Host header; anything else is not echoed into a Location. */
const HOST_NAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])$/i;

/**
 * Plain HTTP that only sends browsers to the HTTPS server (a bookmarked http:// link keeps working).
 * The target host is the public URL's when configured, else the Host header's name (checked), never a
 * body or a query; the path is kept so deep links survive.
 */
export function createRedirectServer(httpsPort: () => number, publicUrl: string | undefined): http.Server {
  return http.createServer((req, res) => {
    const target = redirectTarget(req, httpsPort(), publicUrl);
    if (!target) {
      res.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end("Bad Host header / Tên máy chủ không hợp lệ\n");
      return;
    }
    // 308 keeps the method (a POST stays a POST); browsers follow both 301 and 308.
    res.writeHead(308, { location: target, "content-type": "text/plain; charset=utf-8" }).end(`${target}\n`);
  });
}

export function redirectTarget(req: http.IncomingMessage, httpsPort: number, publicUrl: string | undefined): string | undefined {
  const pathAndQuery = req.url?.startsWith("/") ? req.url : "/";
  // Concatenated, not resolved: `new URL("//evil.example/", base)` would leave the site.
  if (publicUrl) return `${new URL(publicUrl).origin}${pathAndQuery}`;
  const hostHeader = req.headers.host ?? "";
  const name = hostHeader.startsWith("[") ? hostHeader.slice(0, hostHeader.indexOf("]") + 1) : hostHeader.split(":")[0]!;
  if (!HOST_NAME.test(name)) return undefined;
  return `https://${name}${httpsPort === 443 ? "" : `:${httpsPort}`}${pathAndQuery}`;
}

/**
 * HSTS only on responses that really travelled over TLS: this server's own HTTPS, or a TLS proxy on the
 * loopback that says so (`trust proxy` makes `req.secure` read its X-Forwarded-Proto). Sent over plain
 * HTTP it would be meaningless at best, and pin a demo's host to HTTPS at worst.
 */
export const strictTransportSecurity: RequestHandler = (req, res, next) => {
  if (req.secure || (req.socket as Partial<TLSSocket>).encrypted === true) {
    res.setHeader("Strict-Transport-Security", "max-age=31536000");
  }
  next();
};

export function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
