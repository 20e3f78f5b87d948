import { DEMO_JWT_SECRET, DEMO_LOOKUP_HMAC_KEY, type Config } from "./config";

/**
 * The demo is started explicitly (`npm run demo` passes `--demo`, or CAU_NOI_DEMO=1), never inferred from
 * NODE_ENV: a production box that forgot NODE_ENV=production must not quietly run with demo secrets.
 */
export function isExplicitDemo(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  return argv.includes("--demo") || env.CAU_NOI_DEMO === "1";
}

/** Why this configuration may not serve real users; empty when it may. Only the demo skips the check. */
export function startupRefusals(config: Pick<Config, "auth">, demo: boolean): string[] {
  if (demo) return [];
  const problems: string[] = [];
  if (config.auth.jwtSecret === DEMO_JWT_SECRET) {
    problems.push("JWT_SECRET is the demo secret: set a long random one (openssl rand -base64 48), or start the demo explicitly with --demo");
  } else if (Buffer.byteLength(config.auth.jwtSecret, "utf8") < 32) {
    problems.push("JWT_SECRET is shorter than 32 bytes");
  }
  // Published in the source like the demo JWT secret: with it, a copy of the database reveals citizens' codes.
  if (config.auth.lookupHmacKey === DEMO_LOOKUP_HMAC_KEY) {
    problems.push("LOOKUP_HMAC_KEY is the demo key: set a long random one (openssl rand -base64 48); changing it later invalidates citizens' lookup and cancel codes");
  } else if (Buffer.byteLength(config.auth.lookupHmacKey, "utf8") < 32) {
    problems.push("LOOKUP_HMAC_KEY is shorter than 32 bytes");
  }
  return problems;
}
