// Prints the key a media node is given (README › Scaling out › Several media hosts): derived from the
// signaling hosts' MEDIA_NODE_SECRET for one MEDIA_NODE_ID, so the node never holds the master.
// Usage, on a signaling host:  npm run media-node-key -- media-2 [--server-env=/etc/cau-noi/cau-noi.env]
//   (without npm: node_modules/.bin/tsx scripts/media-node-key.ts media-2 --server-env=…)
// Prints `MEDIA_NODE_KEY=<64 hex digits>` on stdout (for that node's environment file only) and nothing
// else there. Exit codes: 0 printed, 2 refused (no or short MEDIA_NODE_SECRET, a bad id).
// (--server-env, not --env-file: Node 20 takes that option for itself even after the script's name.)
import { z } from "zod";
import { deriveNodeKey } from "../signaling/mediaNodes/secret";

const argsSchema = z.object({
  // The same rule as MEDIA_NODE_ID on the node (signaling/mediaNodes/config.ts).
  nodeId: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "the node's id (MEDIA_NODE_ID): letters, digits, - and _ (at most 64)"),
  envFile: z.string().min(1).optional(),
});
const MASTER_RULE = "MEDIA_NODE_SECRET (the master, on the signaling hosts) must be set, at least 32 characters";
const masterSchema = z.string({ error: MASTER_RULE }).min(32, MASTER_RULE);

function refuse(message: string): never {
  console.error(`Từ chối / refused: ${message}\n  usage: npm run media-node-key -- <MEDIA_NODE_ID> [--server-env=/etc/cau-noi/cau-noi.env]`);
  process.exit(2);
}

const argv = process.argv.slice(2);
const envFile = argv.find((arg) => arg.startsWith("--server-env="))?.slice("--server-env=".length);
const args = argsSchema.safeParse({ nodeId: argv.find((arg) => !arg.startsWith("--")), envFile });
if (!args.success) refuse(args.error.issues.map((issue) => issue.message).join("; "));
if (args.data.envFile !== undefined) {
  try {
    process.loadEnvFile(args.data.envFile);
  } catch (error) {
    refuse(`cannot read ${args.data.envFile}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
// Trimmed as the server's configuration reads it (signaling/config.ts), so both derive the same key.
const master = masterSchema.safeParse(process.env.MEDIA_NODE_SECRET?.trim());
if (!master.success) refuse(master.error.issues[0]!.message);
console.error(`MEDIA_NODE_KEY for media node ${args.data.nodeId} (put it in that node's environment only, with MEDIA_NODE_ID=${args.data.nodeId}):`);
console.log(`MEDIA_NODE_KEY=${deriveNodeKey(master.data, args.data.nodeId).toString("hex")}`);
