import { once } from "node:events";
import { existsSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import type { Db, Sql } from "./db";

/** An embedded database serves one small service: modest buffers keep its memory low (PGlite's default is 128 MB). */
export const PGLITE_CONF = ["shared_buffers=2MB", "wal_buffers=64kB", "temp_buffers=1MB", "work_mem=1MB", "maintenance_work_mem=4MB"];

/**
 * PGlite, the embedded default. It is one connection, so every statement and every transaction
 * takes turns through one queue: a transaction never sees another caller's statements.
 */
export async function openPglite(dataDir?: string): Promise<Db> {
  // initdb leaves hundreds of MB of WebAssembly memory behind: create the cluster in a worker thread, whose memory goes with it.
  if (dataDir && !existsSync(path.join(dataDir, "PG_VERSION"))) await initInWorker(dataDir);
  const pg = new PGlite(dataDir, { postgresqlconf: PGLITE_CONF });
  await pg.waitReady;
  let queue: Promise<unknown> = Promise.resolve();
  const turn = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };
  const query: Sql["query"] = (text, params) => turn(async () => (await pg.query(text, params as unknown[])).rows as never);
  return {
    kind: "pglite",
    query,
    exec: (text) => turn(async () => void (await pg.exec(text))),
    tx: (fn) =>
      turn(() =>
        pg.transaction(async (t) => fn({ query: async (text, params) => (await t.query(text, params as unknown[])).rows as never })),
      ),
    close: () => turn(() => pg.close()),
  };
}

/** Creates a PGlite cluster in `dataDir` from a short-lived worker thread. */
async function initInWorker(dataDir: string): Promise<void> {
  const worker = new Worker(
    `const { PGlite } = require(require("node:worker_threads").workerData.module);
     const { dir, conf } = require("node:worker_threads").workerData;
     (async () => { const pg = new PGlite(dir, { postgresqlconf: conf }); await pg.waitReady; await pg.close(); })()
       .catch((e) => { throw e; });`,
    { eval: true, workerData: { module: require.resolve("@electric-sql/pglite"), dir: dataDir, conf: PGLITE_CONF } },
  );
  const [code] = (await once(worker, "exit")) as [number];
  if (code !== 0) throw new Error(`could not create the embedded database in ${dataDir} (worker exit ${code})`);
}
