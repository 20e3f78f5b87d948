import { type ChildProcess, spawn } from "node:child_process";

const holders: ChildProcess[] = [];

/** Kills every lock holder still running (a test that failed before releasing). Call after each test. */
export function stopLockHolders(): void {
  for (const holder of holders.splice(0)) holder.kill("SIGKILL");
}

/**
 * Another process takes the write lock, writes a holiday named `name`, and keeps the lock until `release()`,
 * then commits and exits. Resolves once the lock is taken.
 */
export async function otherProcessHoldsTheLock(file: string, name: string): Promise<{ release: () => Promise<void> }> {
  const script = `
    const Database = require("libsql");
    const db = new Database(${JSON.stringify(file)});
    db.exec("BEGIN IMMEDIATE");
    db.prepare("INSERT INTO Holiday (id, date, name, createdAt, kind) VALUES (?, ?, ?, 0, 'holiday')").run(${JSON.stringify(name)}, ${JSON.stringify(`2032-${name}`)}, ${JSON.stringify(name)});
    process.stdout.write("locked\\n");
    process.stdin.once("data", () => { db.exec("COMMIT"); db.close(); process.exit(0); });
  `;
  const holder = spawn(process.execPath, ["-e", script], { stdio: ["pipe", "pipe", "inherit"] });
  holders.push(holder);
  const exited = new Promise<void>((resolve, reject) => holder.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`the lock holder exited with ${code}`)))));
  await new Promise<void>((resolve, reject) => {
    holder.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("locked") && resolve());
    exited.catch(reject);
  });
  return {
    release: () => {
      holder.stdin!.write("commit\n");
      return exited;
    },
  };
}

