import type { BriefingResult } from "../scenarios/briefing";
import type { CasesResult } from "../scenarios/cases";
import type { ChairGridResult } from "../scenarios/chairGrid";
import type { FanOutResult } from "../scenarios/fanout";
import type { JoinFirstFrameResult } from "../scenarios/joinFirstFrame";
import type { RecordingResult } from "../scenarios/recording";
import type { RemoteNodeResult } from "../scenarios/remoteNode";
import type { SignalingResult } from "../scenarios/signaling";
import type { WebClientResult } from "../scenarios/webClient";

export interface BenchResults {
  fanOut?: FanOutResult;
  briefing?: BriefingResult;
  joinFirstFrame?: JoinFirstFrameResult;
  signaling?: SignalingResult;
  cases?: CasesResult;
  recording?: RecordingResult;
  webClient?: WebClientResult;
  chairGrid?: ChairGridResult;
  remoteNode?: RemoteNodeResult;
}

export type Verdict = "pass" | "FAIL" | "info" | "n/a";

export interface TableRow {
  scenario: string;
  figure: string;
  measured: string;
  goal: string;
  verdict: Verdict;
}

const check = (ok: boolean): Verdict => (ok ? "pass" : "FAIL");
const ms = (value: number) => `${value} ms`;

/** One row per figure, each beside its goal (issue 8); scenarios that did not run say why. */
export function tableRows(results: BenchResults, errors: Record<string, string>): TableRow[] {
  const rows: TableRow[] = [];
  const missing = (scenario: string, key: string) =>
    rows.push({ scenario, figure: "—", measured: errors[key] ? `error: ${errors[key]!.split("\n")[0]!.slice(0, 90)}` : "not run", goal: "", verdict: "n/a" });

  const fan = results.fanOut;
  if (fan) {
    const largest = fan.runs.filter((run) => run.stack === "ours" && !run.srtp).at(-1);
    const srtp = fan.ratios.find((ratio) => ratio.srtp);
    rows.push({ scenario: "1 fan-out", figure: "efficiency ours/bare (median of steps)", measured: `${fan.efficiencyRatio} (${fan.ratios.filter((r) => !r.srtp).map((r) => `N=${r.subscribers}: ${r.efficiencyRatio}`).join(", ")})`, goal: "≥ 0.9", verdict: check(fan.efficiencyRatio >= 0.9) });
    if (srtp) rows.push({ scenario: "1 fan-out", figure: "efficiency ours/bare with SRTP", measured: `${srtp.efficiencyRatio} (N=${srtp.subscribers})`, goal: "≥ 0.9", verdict: check(srtp.efficiencyRatio >= 0.9) });
    if (largest) {
      rows.push({
        scenario: "1 fan-out",
        figure: `ours at N=${largest.subscribers} (${largest.consumers} consumers)`,
        measured: `${largest.packetsPerSecond} pkt/s, ${largest.cpuMsPer1000Packets} ms CPU/1000 pkt, worker ${largest.workerCpuPercent} %, loss ${largest.lossPercent} %`,
        goal: "",
        verdict: "info",
      });
    }
    const measuredOk = fan.largestHealthySubscribers * 2 >= 500;
    rows.push({
      scenario: "1 fan-out",
      figure: "500 kbps consumers per worker, < 1 % loss",
      measured: `${fan.largestHealthySubscribers * 2} consumers healthy (largest tried); ≈ ${fan.extrapolatedVideoConsumersAt85} video consumers at 85 % (extrapolated)`,
      goal: "≥ 500",
      verdict: measuredOk ? "pass" : fan.extrapolatedVideoConsumersAt85 >= 500 ? "info" : "FAIL",
    });
  } else missing("1 fan-out", "fanOut");

  const brief = results.briefing;
  if (brief) {
    for (const point of brief.points) {
      rows.push({
        scenario: "2 briefing",
        figure: `1 chair + ${point.sites} sites + ${point.viewers} viewers through Room, ${point.receiversPerWorker.length} workers`,
        measured:
          `receivers ${point.receiversPerWorker.join(" / ")}, workers ${point.workerCpuPercent.join(" / ")} % CPU, loss ${point.lossPercent} % ` +
          `(ingest ${point.ingestLossPercent}, pipe ${point.pipeLossPercent}, egress ${point.egressLossPercent}; SFU socket drops ${point.sfuSocketDrops}), ${point.cpuPercentPerReceiver} % of a core per receiver, host ${point.hostBusyPercent} %, load ${point.loadAverage[0]}`,
        goal: "< 85 %, < 1 %",
        verdict: point.sites === 166 && point.viewers === 300 ? check(point.healthy) : point.healthy ? "info" : "FAIL",
      });
    }
    rows.push({
      scenario: "2 briefing",
      figure: "largest healthy point / goal 1+166+300",
      measured:
        `${brief.largestHealthy ? `S=${brief.largestHealthy.sites}, V=${brief.largestHealthy.viewers}` : "none"}${brief.firstUnhealthy ? `; stops at S=${brief.firstUnhealthy.sites}, V=${brief.firstUnhealthy.viewers}` : ""}; ` +
        `goal point ${brief.goal ? (brief.goal.healthy ? "healthy" : "over the limit") : "not tried (full run only)"}; ≈ ${brief.receiversPer8CoresAt85} receivers on 8 cores at 85 %`,
      goal: "1+166+300 on 2 cores",
      verdict: brief.goal ? check(brief.goal.healthy) : "n/a",
    });
    rows.push({ scenario: "2 briefing", figure: "spread over workers by Room (pipeToRouter)", measured: brief.spreadByRoom ? "yes" : "no (one worker was enough)", goal: "no hand-piped routers", verdict: "info" });
    for (const point of brief.pipeCost?.points ?? []) {
      rows.push({
        scenario: "2 briefing",
        figure: `piped ÷ local consumer, ${point.receivers} receiver(s) behind the pipe`,
        measured: `${point.pipedOverLocal} (${point.pipedUsPerPacket} vs ${point.localUsPerPacket} µs CPU per packet; pipe hop ${point.pipeHopUsPerPipedPacket} µs per piped packet)`,
        goal: "≤ 1.3",
        verdict: check(point.pipedOverLocal <= 1.3),
      });
    }
  } else missing("2 briefing", "briefing");

  const join = results.joinFirstFrame;
  if (join) {
    rows.push({
      scenario: "3 join→frame",
      figure: `join → first frame, ${join.joinToFirstFrameMs.n} joins`,
      measured:
        `p50 ${ms(join.joinToFirstFrameMs.p50)}, p95 ${ms(join.joinToFirstFrameMs.p95)}; ${join.slowJoins}/${join.joinToFirstFrameMs.n} joins ≥ 300 ms; ` +
        `median phases: recv PC ${join.phasesP50Ms.pcCreated}, ICE+DTLS ${join.phasesP50Ms.connected}, 1st payload ${join.phasesP50Ms.firstPacket}, 1st frame ${join.phasesP50Ms.firstFrame} ms${join.timeouts ? `; ${join.timeouts} timeouts` : ""}`,
      goal: "p95 < 300 ms",
      verdict: check(join.joinToFirstFrameMs.p95 < 300 && join.timeouts === 0),
    });
  } else missing("3 join→frame", "joinFirstFrame");

  const sig = results.signaling;
  if (sig) {
    rows.push({
      scenario: "4 signaling",
      figure: `${sig.event} ack @ ${sig.joined}/${sig.clients} sockets`,
      measured: `p50 ${ms(sig.ackMs.p50)}, p99 ${ms(sig.ackMs.p99)} (${sig.requestsPerSecond} req/s)`,
      goal: "1 000 sockets, p99 < 20 ms",
      verdict: sig.clients >= 1000 ? check(sig.ackMs.p99 < 20 && sig.joined === sig.clients) : sig.ackMs.p99 < 20 ? "info" : "FAIL",
    });
    rows.push({ scenario: "4 signaling", figure: "join ack (room growing)", measured: `p50 ${ms(sig.joinAckMs.p50)}, p99 ${ms(sig.joinAckMs.p99)}; all joined in ${sig.joinSeconds} s`, goal: "", verdict: "info" });
    if (sig.withWal) {
      rows.push({
        scenario: "4 signaling",
        figure: "same with the DB copy in WAL mode",
        measured: `join ack p99 ${ms(sig.withWal.joinAckMs.p99)}, all joined in ${sig.withWal.joinSeconds} s, loop lag p99 ${ms(sig.withWal.eventLoopLagJoin.p99)}; ${sig.event} p99 ${ms(sig.withWal.ackMs.p99)}`,
        goal: "",
        verdict: "info",
      });
    }
    if (sig.sqliteCommitMs) {
      rows.push({
        scenario: "4 signaling",
        figure: "one SQLite commit on the event loop",
        measured: `${ms(sig.sqliteCommitMs.rollbackJournal)} as shipped, ${ms(sig.sqliteCommitMs.wal)} WAL, ${ms(sig.sqliteCommitMs.walNormal)} WAL + synchronous=NORMAL`,
        goal: "",
        verdict: "info",
      });
    }
    rows.push({ scenario: "4 signaling", figure: "server memory per client", measured: `heap ${sig.heapKBPerClient} kB, RSS ${sig.rssKBPerClient} kB`, goal: "", verdict: "info" });
    rows.push({
      scenario: "4 signaling",
      figure: "event-loop lag (join / load)",
      measured: `p99 ${ms(sig.eventLoopLagJoin.p99)}, max ${ms(sig.eventLoopLagJoin.max)} / p99 ${ms(sig.eventLoopLagLoad.p99)}, max ${ms(sig.eventLoopLagLoad.max)}`,
      goal: "",
      verdict: "info",
    });
  } else missing("4 signaling", "signaling");

  const cases = results.cases;
  if (cases) {
    const n = cases.seeded.cases;
    const at = n >= 1_000_000 ? "" : ` (${n.toLocaleString("en")} cases)`;
    const full = n >= 1_000_000;
    const t = cases.timings;
    const scaled = (ok: boolean): Verdict => (full ? check(ok) : ok ? "info" : "FAIL");
    const p = (op: keyof typeof t, extra = "") => `p50 ${ms(t[op]!.p50)}, p95 ${ms(t[op]!.p95)}${extra}`;
    const sqlAlone = (op: keyof typeof t) => (cases.sqlOnly[op] ? ` (SQL alone p50 ${ms(cases.sqlOnly[op].p50)})` : "");
    const row = (figure: string, measured: string, goal: string, ok: boolean) => rows.push({ scenario: "5 cases", figure: `${figure}${at}`, measured, goal, verdict: scaled(ok) });
    if (t.lookup) row("lookup by code", p("lookup", sqlAlone("lookup")), "p95 < 2 ms", t.lookup.p95 < 2);
    if (t.filteredList) row("filtered list (unit+state+overdue)", p("filteredList"), "p95 < 20 ms", t.filteredList.p95 < 20);
    if (t.workQueue) row("default work queue (count + page 1)", p("workQueue", sqlAlone("workQueue")), "p95 < 30 ms", t.workQueue.p95 < 30);
    if (t.workQueueNext) row("work queue next page (keyset cursor)", p("workQueueNext", cases.keysetMatchesPageTwo ? "" : " — NOT the same cases as page 2"), "p95 < 30 ms", t.workQueueNext.p95 < 30 && cases.keysetMatchesPageTwo);
    if (t.notifications) row("notification bell (a poll, answer kept)", p("notifications", sqlAlone("notifications")), "p95 < 5 ms", t.notifications.p95 < 5);
    if (t.notificationsRecomputed) row("notification bell (first poll after a write)", p("notificationsRecomputed", sqlAlone("notificationsRecomputed")), "p95 < 5 ms", t.notificationsRecomputed.p95 < 5);
    if (t.textSearch) {
      const terms = cases.searchByTerm.map((term) => `${term.what} ${ms(term.p95)}`).join("; ");
      row("text search", `${p("textSearch")}${terms ? ` — p95 by text: ${terms}` : ""}`, "p95 < 50 ms", t.textSearch.p95 < 50);
    }
    if (t.quarterlyReport) row("quarterly report", `p50 ${ms(t.quarterlyReport.p50)}, max ${ms(t.quarterlyReport.max)} (n=${t.quarterlyReport.n})`, "< 1 s", t.quarterlyReport.max < 1000);
    if (t.yearReport) row("year report", `p50 ${ms(t.yearReport.p50)}, max ${ms(t.yearReport.max)} (n=${t.yearReport.n})`, "< 2 s", t.yearReport.max < 2000);
    rows.push({ scenario: "5 cases", figure: "PostgreSQL", measured: cases.postgres, goal: "", verdict: "n/a" });
  } else missing("5 cases", "cases");

  const rec = results.recording;
  if (rec) {
    if (rec.status === "measured") {
      rows.push({
        scenario: "6 recording",
        figure: `ffmpeg CPU per session (${rec.participants} participants, ${rec.tracks} tracks)`,
        measured: `${rec.ffmpegCpuPercentPerSession} % of a core (${rec.ffmpegCpuPercentPerTrack} % per track); worker +${rec.workerCpuPercent} %`,
        goal: "≤ 5 %",
        verdict: check(rec.ffmpegCpuPercentPerSession <= 5 && rec.failedTracks === 0),
      });
      rows.push({ scenario: "6 recording", figure: "compose time ÷ session length", measured: `${rec.composeTimeRatio} (${rec.composeSeconds} s for ${rec.sessionSeconds} s, ${rec.composedFormat})`, goal: "", verdict: "info" });
    } else rows.push({ scenario: "6 recording", figure: "recording", measured: `${rec.status}: ${rec.reason.split("\n")[0]}`, goal: "≤ 5 %", verdict: "n/a" });
  } else missing("6 recording", "recording");

  const web = results.webClient;
  if (web) {
    const worst = web.pages.filter((p) => p.audience === "public").sort((a, b) => b.jsWireKB - a.jsWireKB)[0];
    rows.push({ scenario: "7 web client", figure: "public page JS on the wire (largest)", measured: `${web.publicJsWireKBMax} kB (${worst?.path ?? "—"})`, goal: "≤ 150 kB", verdict: check(web.publicJsWireKBMax <= 150) });
    rows.push({ scenario: "7 web client", figure: "public page interactive, Fast 3G + 4× CPU (slowest)", measured: ms(web.publicInteractiveMsMax), goal: "< 3000 ms", verdict: check(web.publicInteractiveMsMax < 3000) });
    const staff = web.pages.find((p) => p.audience === "staff");
    if (staff) rows.push({ scenario: "7 web client", figure: "staff app (sign-in page) JS on the wire", measured: `${staff.jsWireKB} kB, interactive ${staff.interactiveMs} ms`, goal: "", verdict: "info" });
  } else missing("7 web client", "webClient");

  const grid = results.chairGrid;
  if (grid) {
    const figure = (name: string, w: ChairGridResult["idle"]) =>
      rows.push({
        scenario: "8 chair page",
        figure: `chair's page, ${grid.sites} sites, ${name}: main thread`,
        measured: `${w.taskMsPerS} ms/s (script ${w.scriptMsPerS}, layout ${w.layoutMsPerS}, style ${w.styleMsPerS}); long tasks ${w.longTasks.count} in ${w.seconds} s, max ${ms(w.longTasks.maxMs)}`,
        goal: "",
        verdict: "info",
      });
    figure("idle", grid.idle);
    figure("a hand and a message a second", grid.busy);
  } else missing("8 chair page", "chairGrid");
  const remote = results.remoteNode;
  if (remote) {
    for (const point of remote.points) {
      rows.push({
        scenario: "9 media node",
        figure: `consumer on a media node ÷ local, ${point.receivers} receiver(s) on the node`,
        measured: `${point.remoteOverLocal} (${point.remoteUsPerPacket} vs ${point.localUsPerPacket} µs worker CPU per packet; the node's Node.js process ${point.nodeProcessUsPerPacket} µs more)`,
        goal: `≤ ${remote.goal}`,
        verdict: check(point.remoteOverLocal <= remote.goal),
      });
    }
  } else missing("9 media node", "remoteNode");
  return rows;
}

/** A plain-text table; long cells wrap within their column. */
export function formatTable(rows: TableRow[]): string {
  const headers: TableRow = { scenario: "scenario", figure: "figure", measured: "measured", goal: "goal", verdict: "info" };
  const columns: (keyof TableRow)[] = ["scenario", "figure", "measured", "goal", "verdict"];
  const limits: Record<keyof TableRow, number> = { scenario: 13, figure: 42, measured: 78, goal: 26, verdict: 7 };
  const wrap = (text: string, width: number): string[] => {
    const lines: string[] = [];
    let line = "";
    for (const word of text.split(" ")) {
      if ((line + " " + word).trim().length > width && line) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
    return lines;
  };
  const widths = Object.fromEntries(columns.map((column) => [column, Math.min(limits[column], Math.max(column.length, ...rows.map((row) => String(row[column]).length)))])) as Record<keyof TableRow, number>;
  const render = (row: TableRow, header = false) => {
    const cells = columns.map((column) => wrap(header && column === "verdict" ? "verdict" : String(row[column]), widths[column]));
    const height = Math.max(...cells.map((cell) => cell.length));
    return Array.from({ length: height }, (_, line) => columns.map((column, index) => (cells[index]![line] ?? "").padEnd(widths[column])).join(" │ ")).join("\n");
  };
  const rule = columns.map((column) => "─".repeat(widths[column])).join("─┼─");
  return [render(headers, true), rule, ...rows.map((row) => render(row))].join("\n");
}
