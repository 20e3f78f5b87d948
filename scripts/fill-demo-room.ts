// Fills a demo room with the seeded communes' and wards' site accounts, to rehearse a province-wide
// briefing's layout (paging, last-N, the chair's controls) on one machine. These sites join over
// signaling only and send no media: open real browsers for the sites whose video you want to see.
//   npx tsx scripts/fill-demo-room.ts [room] [count] [base URL]
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../signaling/protocol";
import { DEMO_PASSWORD } from "../prisma/seed";

const [roomId = "giao-ban-demo", count = "36", baseUrl = "http://127.0.0.1:3000"] = process.argv.slice(2);

const siteCodes = [
  "vocuong", "tuson", "dongngan", "bacgiang", "yenphong", "tiendu", "quevo", "giabinh", "luongtai", "lucngan", "sondong",
  "suoihoa", "vuninh", "haplinh", "namson", "phuonglieu", "chu", "vietyen", "nenh", "tulan", "yendung", "damai", "tamson",
  "phulang", "nhanthang", "caoduc", "trungchinh", "lamthao", "tamgiang", "vanmon", "phattich", "lienbao", "tanchi",
  "langgiang", "tanyen", "hiephoa", "lucnam", "yenthe", "kep", "mythai", "xuanluong",
];

async function signIn(username: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (!response.ok) throw new Error(`${username}: sign-in refused (${response.status})`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

async function joinAsSite(username: string): Promise<Socket<ServerToClientEvents, ClientToServerEvents>> {
  const token = await signIn(username);
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(baseUrl, { transports: ["websocket"], auth: { token, lang: "vi" } });
  const caps = await socket.timeout(10_000).emitWithAck("getRouterRtpCapabilities", {});
  if (!caps.ok) throw new Error(`${username}: ${caps.error.message}`);
  const joined = await socket.timeout(10_000).emitWithAck("join", { roomId, rtpCapabilities: caps.data.rtpCapabilities });
  if (!joined.ok) throw new Error(`${username}: ${joined.error.message}`);
  return socket;
}

const sockets: Socket[] = [];
for (const code of siteCodes.slice(0, Number(count))) {
  try {
    sockets.push(await joinAsSite(`diemcau-${code}`));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
  }
}
console.log(`${sockets.length} sites joined ${roomId} without media; Ctrl+C to take them out.`);
process.on("SIGINT", () => {
  for (const socket of sockets) socket.disconnect();
  process.exit(0);
});
