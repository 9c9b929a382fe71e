// Worker memory for the benchmark: VmRSS of the worker process, sampled every 200 ms.
import { vmRssMiB } from '../proc';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class RssSampler {
  peak = 0;
  private readonly timer: NodeJS.Timeout;
  constructor(private readonly pid: number) {
    this.timer = setInterval(() => this.sample(), 200);
  }
  sample(): number {
    const mib = vmRssMiB(this.pid);
    if (mib !== undefined) this.peak = Math.max(this.peak, mib);
    return mib ?? 0;
  }
  reset(): void {
    this.peak = 0;
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

/** The largest RSS over a 5 s hold: what the worker settles at once the onboardings are parked. */
export async function settledRss(rss: RssSampler): Promise<number> {
  let settled = 0;
  for (let t = 0; t < 25; t++) {
    settled = Math.max(settled, rss.sample());
    await sleep(200);
  }
  return settled;
}
