import * as mediasoup from "mediasoup";
import type { types } from "mediasoup";
import { TypedEmitter } from "./TypedEmitter";

export interface PortRange {
  min: number;
  max: number;
}

export interface WorkerPoolOptions {
  /** Number of workers; one per core is what mediasoup recommends. */
  size: number;
  /** UDP/TCP ports for WebRTC; split evenly so two workers never race for the same port. */
  portRange: PortRange;
  logLevel?: types.WorkerLogLevel;
  /** Delay before restarting a dead worker; doubles on each consecutive death, capped at 30 s. */
  restartDelayMs?: number;
}

/** A live worker with the slice of the port range its transports listen on. */
export interface PooledWorker {
  readonly index: number;
  readonly worker: types.Worker;
  readonly portRange: PortRange;
}

export type WorkerPoolEvents = {
  /** A worker died; every router on it is gone. Emitted before the restart is attempted. */
  workerDied: [index: number, error: Error];
  /** A replacement worker for `index` is running. */
  workerRestarted: [index: number];
  /** A restart attempt failed; another is scheduled. */
  restartFailed: [index: number, error: Error];
};

const MAX_RESTART_DELAY_MS = 30_000;

export class WorkerPool extends TypedEmitter<WorkerPoolEvents> {
  readonly #options: Required<WorkerPoolOptions>;
  readonly #slots: (PooledWorker | undefined)[];
  readonly #routerCounts = new Map<types.Worker, number>();
  /** Consumers alive on each worker (WebRTC and pipe), the load a new receiving transport adds to. */
  readonly #consumerCounts = new Map<types.Worker, number>();
  readonly #consecutiveDeaths: number[];
  readonly #restartTimers = new Set<NodeJS.Timeout>();
  #closed = false;

  static async create(options: WorkerPoolOptions): Promise<WorkerPool> {
    if (options.size < 1) throw new RangeError("worker pool size must be at least 1");
    const pool = new WorkerPool(options);
    try {
      for (let index = 0; index < options.size; index++) await pool.#start(index);
    } catch (error) {
      pool.close();
      throw error;
    }
    return pool;
  }

  private constructor(options: WorkerPoolOptions) {
    super();
    this.#options = { logLevel: "warn", restartDelayMs: 500, ...options };
    this.#slots = new Array<PooledWorker | undefined>(options.size).fill(undefined);
    this.#consecutiveDeaths = new Array<number>(options.size).fill(0);
    const span = options.portRange.max - options.portRange.min + 1;
    if (span < options.size * 2) throw new RangeError("port range too small for the worker pool");
  }

  get size(): number {
    return this.#slots.length;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Workers alive right now. */
  get workers(): readonly PooledWorker[] {
    return this.#slots.filter((slot): slot is PooledWorker => slot !== undefined);
  }

  /** The live worker carrying the fewest routers, so rooms spread over cores. */
  pick(): PooledWorker {
    let best: PooledWorker | undefined;
    for (const slot of this.workers) {
      if (!best || this.#routers(slot) < this.#routers(best)) best = slot;
    }
    if (!best) throw new Error("no mediasoup worker is running");
    return best;
  }

  /**
   * A live worker, waiting up to `timeoutMs` for a dead one's replacement when none is running (a
   * one-worker server right after a crash), so a rejoin lands instead of failing.
   */
  async pickWhenReady(timeoutMs = 10_000): Promise<PooledWorker> {
    if (this.workers.length > 0) return this.pick();
    if (this.#closed) throw new Error("the worker pool is closed");
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off("workerRestarted", onRestart);
        reject(new Error(`no mediasoup worker came back within ${timeoutMs} ms`));
      }, timeoutMs);
      const onRestart = () => {
        clearTimeout(timer);
        resolve();
      };
      this.once("workerRestarted", onRestart);
    });
    return this.pick();
  }

  /** Consumers (WebRTC and pipe) now on this worker. */
  consumersOn(worker: types.Worker): number {
    return this.#consumerCounts.get(worker) ?? 0;
  }

  /** The live worker carrying the fewest consumers; ties go to the first (the lower index). */
  leastLoaded(): PooledWorker | undefined {
    let best: PooledWorker | undefined;
    for (const slot of this.workers) {
      if (!best || this.consumersOn(slot.worker) < this.consumersOn(best.worker)) best = slot;
    }
    return best;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#restartTimers) clearTimeout(timer);
    this.#restartTimers.clear();
    for (const slot of this.workers) slot.worker.close();
    this.#slots.fill(undefined);
  }

  #routers(slot: PooledWorker): number {
    return this.#routerCounts.get(slot.worker) ?? 0;
  }

  #portRangeFor(index: number): PortRange {
    const { min, max } = this.#options.portRange;
    const share = Math.floor((max - min + 1) / this.size);
    const start = min + index * share;
    return { min: start, max: index === this.size - 1 ? max : start + share - 1 };
  }

  async #start(index: number): Promise<void> {
    const worker = await mediasoup.createWorker({ logLevel: this.#options.logLevel });
    if (this.#closed) {
      worker.close();
      return;
    }
    this.#routerCounts.set(worker, 0);
    this.#consumerCounts.set(worker, 0);
    const add = (counts: Map<types.Worker, number>, delta: number) => counts.set(worker, Math.max(0, (counts.get(worker) ?? 0) + delta));
    worker.observer.on("newrouter", (router) => {
      add(this.#routerCounts, 1);
      router.observer.once("close", () => add(this.#routerCounts, -1));
      router.observer.on("newtransport", (transport) => {
        transport.observer.on("newconsumer", (consumer) => {
          add(this.#consumerCounts, 1);
          consumer.observer.once("close", () => add(this.#consumerCounts, -1));
        });
      });
    });
    worker.on("died", (error) => this.#onDied(index, worker, error));
    this.#slots[index] = { index, worker, portRange: this.#portRangeFor(index) };
  }

  #onDied(index: number, worker: types.Worker, error: Error): void {
    this.#routerCounts.delete(worker);
    this.#consumerCounts.delete(worker);
    if (this.#slots[index]?.worker === worker) this.#slots[index] = undefined;
    if (this.#closed) return;
    const deaths = ++this.#consecutiveDeaths[index]!;
    this.emit("workerDied", index, error);
    this.#scheduleRestart(index, Math.min(this.#options.restartDelayMs * 2 ** (deaths - 1), MAX_RESTART_DELAY_MS));
  }

  #scheduleRestart(index: number, delayMs: number): void {
    const timer = setTimeout(() => {
      this.#restartTimers.delete(timer);
      this.#start(index).then(
        () => {
          if (this.#closed) return;
          // A worker that stays up for a minute counts as healthy again.
          setTimeout(() => (this.#consecutiveDeaths[index] = 0), 60_000).unref();
          this.emit("workerRestarted", index);
        },
        (error: unknown) => {
          if (this.#closed) return;
          this.emit("restartFailed", index, error instanceof Error ? error : new Error(String(error)));
          this.#scheduleRestart(index, Math.min(delayMs * 2, MAX_RESTART_DELAY_MS));
        },
      );
    }, delayMs);
    this.#restartTimers.add(timer);
  }
}
