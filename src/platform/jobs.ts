/**
 * Background jobs: in-process timers (DESIGN.md). Each job claims its rows with
 * `FOR UPDATE SKIP LOCKED`, so several app nodes can run the same jobs without doing a row twice.
 * A failing run is logged and retried at the next tick; the server never stops for it.
 */

export interface Job {
  name: string;
  /** interval between runs, in ms */
  everyMs: number;
  /** one run; returns how many records it handled (for the log) */
  run: () => Promise<number>;
}

/**
 * Starts the jobs; returns a function that stops them (and waits for runs under way).
 * @param log where to report a run that handled something, or failed
 */
export function startJobs(jobs: Job[], log: { info: (o: object, m: string) => void; error: (o: object, m: string) => void }): () => Promise<void> {
  const running = new Set<Promise<unknown>>();
  const timers = jobs.map((job) => {
    let busy = false;
    const tick = () => {
      if (busy) return;
      busy = true;
      const p = job
        .run()
        .then((n) => n > 0 && log.info({ job: job.name, handled: n }, 'job run'))
        .catch((err: unknown) => log.error({ job: job.name, err: String(err instanceof Error ? err.message : err).split('\n')[0] }, 'job failed'))
        .finally(() => {
          busy = false;
          running.delete(p);
        });
      running.add(p);
    };
    const t = setInterval(tick, job.everyMs);
    t.unref();
    setTimeout(tick, 1_000).unref();
    return t;
  });
  return async () => {
    for (const t of timers) clearInterval(t);
    await Promise.allSettled([...running]);
  };
}
