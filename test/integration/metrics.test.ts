import express from "express";
import parsePrometheusTextFormat, { type PrometheusFamily } from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import { addDays, vietnamDateOf } from "../../signaling/domain/deadlines";
import { Metrics } from "../../signaling/http/metrics";
import type { RtpCapabilities } from "../../signaling/protocol";
import { connect, ok, type TestSocket } from "../helpers/client";
import { buildUnit, tokenFor } from "../helpers/factories";
import { http } from "../helpers/http";
import { audioProducerParameters, videoProducerParameters } from "../helpers/media";
import { startTestServer, type TestServer } from "../helpers/server";
import { postgresPass } from "../helpers/postgres";

const TOKEN = "metrics-token-for-the-test-0123456789";
let server: TestServer;
let unit: { id: string; path: string };
const sockets: TestSocket[] = [];

beforeAll(async () => {
  server = await startTestServer({ METRICS_TOKEN: TOKEN });
  unit = await buildUnit(server.db);
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server?.close();
});

async function scrape(): Promise<PrometheusFamily[]> {
  const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusTextFormat(await response.text());
}

function family(families: PrometheusFamily[], name: string): PrometheusFamily {
  const found = families.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`metric ${name} missing`);
  return found;
}

/** The value of a gauge or counter, summed over its series that carry these labels. */
function value(families: PrometheusFamily[], name: string, labels: Record<string, string> = {}): number {
  return family(families, name)
    .metrics.filter((sample) => Object.entries(labels).every(([key, wanted]) => sample.labels?.[key] === wanted))
    .reduce((sum, sample) => sum + Number(sample.value), 0);
}

async function joined(roomId: string, displayName: string, caps?: RtpCapabilities) {
  const { token } = await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: ["officer"], displayName });
  const socket = await connect(server.url, { token });
  sockets.push(socket);
  const rtpCapabilities = caps ?? (await ok(socket, "getRouterRtpCapabilities", {})).rtpCapabilities;
  await ok(socket, "join", { roomId, rtpCapabilities });
  const send = await ok(socket, "createWebRtcTransport", { direction: "send" });
  const recv = await ok(socket, "createWebRtcTransport", { direction: "recv" });
  return { socket, send, recv, rtpCapabilities };
}

describe("/metrics access", () => {
  it("refuses a missing or wrong bearer token with a stable error", async () => {
    const missing = await fetch(`${server.url}/metrics`, { headers: { "accept-language": "vi" } });
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
    expect(await missing.json()).toEqual({ error: { code: "UNAUTHENTICATED", message: "Vui lòng đăng nhập." } });
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
  });

  it("is absent without METRICS_TOKEN", async () => {
    const app = express();
    app.get("/metrics", new Metrics().serve(undefined));
    app.use(((error, _req, res, _next) => res.status((error as { status?: number }).status ?? 500).end()) as express.ErrorRequestHandler);
    const listener = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => listener.once("listening", resolve));
    try {
      const { port } = listener.address() as { port: number };
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
    } finally {
      listener.close();
    }
  });
});

describe("/metrics content", () => {
  it("reflects a room with two participants, their tracks and sockets", async () => {
    const before = await scrape();
    expect(value(before, "cau_noi_rooms")).toBe(0);
    expect(value(before, "cau_noi_mediasoup_workers_alive")).toBe(1);

    const chair = await joined("giao-ban-metrics", "Chủ trì");
    const site = await joined("giao-ban-metrics", "Điểm cầu 1", chair.rtpCapabilities);
    const video = await ok(chair.socket, "produce", { transportId: chair.send.id, kind: "video", source: "webcam", rtpParameters: videoProducerParameters() });
    await ok(chair.socket, "produce", { transportId: chair.send.id, kind: "audio", source: "mic", rtpParameters: audioProducerParameters() });
    await ok(site.socket, "consume", { transportId: site.recv.id, producerId: video.producerId });

    const during = await scrape();
    expect(value(during, "cau_noi_rooms", { worker: "0" })).toBe(1);
    expect(value(during, "cau_noi_peers", { worker: "0" })).toBe(2);
    expect(value(during, "cau_noi_producers", { worker: "0" })).toBe(2);
    expect(value(during, "cau_noi_consumers", { worker: "0" })).toBe(1);
    expect(value(during, "cau_noi_recordings_active")).toBe(0);
    expect(value(during, "cau_noi_socket_connections")).toBe(2);
    expect(value(during, "cau_noi_mediasoup_worker_cpu_seconds", { worker: "0" })).toBeGreaterThan(0);
    expect(value(during, "cau_noi_mediasoup_worker_max_rss_bytes", { worker: "0" })).toBeGreaterThan(1024 * 1024);
    expect(value(during, "cau_noi_process_resident_memory_bytes")).toBeGreaterThan(0);

    for (const socket of sockets.splice(0)) socket.disconnect();
  });

  it("counts HTTP requests by route template, never by the raw URL", async () => {
    const secretCode = "HS-2026-000123-bi-mat";
    await http(server.url, "GET", `/cases/${secretCode}`);
    await http(server.url, "GET", `/no-such-route/${secretCode}`);
    const text = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    expect(text).not.toContain(secretCode);
    const families = parsePrometheusTextFormat(text);
    expect(value(families, "cau_noi_http_requests_total", { method: "GET", route: "/api/cases/:id", status: "401" })).toBe(1);
    expect(value(families, "cau_noi_http_requests_total", { route: "/api/(unknown)", status: "404" })).toBe(1);
    expect(value(families, "cau_noi_http_requests_total", { route: "/metrics", status: "200" })).toBeGreaterThan(0);
    expect(family(families, "cau_noi_http_request_duration_seconds").type).toBe("HISTOGRAM");
    // The parser folds a labelled histogram's series into one, so the per-route series is read from the text.
    expect(text).toMatch(/^cau_noi_http_request_duration_seconds_count\{method="GET",route="\/api\/cases\/:id"\} 1$/m);
  });

  it("counts cases overdue and due soon, as the work queue defines them", async () => {
    const before = await scrape();
    const { token } = await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: ["officer"] });
    const file = async () => {
      const created = await http<{ case: { id: string } }>(server.url, "POST", "/cases", {
        token,
        body: { unitId: unit.id, channel: "post", receivedDate: "2026-03-02", summary: "Đơn khiếu nại", content: "Nội dung đơn khiếu nại.", parties: [{ role: "petitioner", name: "Nguyễn Văn Ấn" }] },
      });
      const id = created.body.case.id;
      expect((await http(server.url, "POST", `/cases/${id}/actions/classify`, { token, body: { kind: "complaint", eligible: true, withinCompetence: true } })).status).toBe(200);
      return id;
    };
    await file(); // received in March 2026: its acceptance deadline has long passed
    const soon = await file();
    // Fixture: move one deadline to two days from today, so "due soon" does not depend on the calendar.
    await server.db.case.update({ where: { id: soon }, data: { dueDate: addDays(vietnamDateOf(new Date()), 2) } });
    const after = await scrape();
    expect(value(after, "cau_noi_cases_overdue") - value(before, "cau_noi_cases_overdue")).toBe(1);
    expect(value(after, "cau_noi_cases_due_soon") - value(before, "cau_noi_cases_due_soon")).toBe(1);
  });

  it("counts failed database statements by SQLite error code", async () => {
    const before = value(await scrape(), "cau_noi_db_errors_total");
    await expect(server.db.$queryRawUnsafe("SELECT * FROM no_such_table")).rejects.toThrow();
    const after = await scrape();
    expect(value(after, "cau_noi_db_errors_total")).toBe(before + 1);
    // PostgreSQL pass: the SQLSTATE of a missing table (42P01).
    expect(family(after, "cau_noi_db_errors_total").metrics.map((sample) => sample.labels?.code)).toContain(postgresPass ? "PG_42P01" : "SQLITE_ERROR");
  });
});
