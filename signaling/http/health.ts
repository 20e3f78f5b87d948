import type { WorkerPool } from "../../sfu";
import type { Db } from "../db/client";

export interface HealthReport {
  status: "ok" | "degraded";
  workers: { alive: number; total: number };
  database: "ok" | "error";
  rooms: number;
  uptimeSeconds: number;
}

export type HealthCheck = () => Promise<HealthReport>;

/** Healthy means every media worker is up and the database answers. */
export function createHealthCheck(deps: { pool: WorkerPool; db: Db; rooms: () => number }): HealthCheck {
  const startedAt = Date.now();
  return async () => {
    const database = await deps.db.$queryRaw`SELECT 1`.then(
      () => "ok" as const,
      () => "error" as const,
    );
    const workers = { alive: deps.pool.workers.length, total: deps.pool.size };
    return {
      status: database === "ok" && workers.alive === workers.total ? "ok" : "degraded",
      workers,
      database,
      rooms: deps.rooms(),
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    };
  };
}
