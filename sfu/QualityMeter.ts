/**
 * A participant's link quality over its stay, from mediasoup's RTP stream scores (0 = unusable,
 * 10 = perfect; they fall with loss and retransmissions). Sampled at a fixed period rather than on
 * score events, so a link that is bad for a long time weighs more than one that flickers.
 */
export interface QualitySummary {
  /** Mean score of what the participant sends (its producers), null if it sent nothing active. */
  uplink: number | null;
  /** Mean score of what the participant receives (its consumers), null if it received nothing. */
  downlink: number | null;
  /** Share of samples, in either direction, below 5: time spent on a poor link. */
  poorShare: number;
}

/** Scores below this mean visible freezes or broken audio. */
const POOR_BELOW = 5;

class RunningMean {
  #sum = 0;
  #count = 0;
  #poor = 0;

  add(score: number): void {
    this.#sum += score;
    this.#count++;
    if (score < POOR_BELOW) this.#poor++;
  }

  get mean(): number | null {
    return this.#count === 0 ? null : this.#sum / this.#count;
  }

  get count(): number {
    return this.#count;
  }

  get poor(): number {
    return this.#poor;
  }
}

export class QualityMeter {
  readonly #uplink = new RunningMean();
  readonly #downlink = new RunningMean();

  sampleUplink(score: number): void {
    this.#uplink.add(score);
  }

  sampleDownlink(score: number): void {
    this.#downlink.add(score);
  }

  summary(): QualitySummary {
    const round = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);
    const samples = this.#uplink.count + this.#downlink.count;
    return {
      uplink: round(this.#uplink.mean),
      downlink: round(this.#downlink.mean),
      poorShare: samples === 0 ? 0 : Math.round(((this.#uplink.poor + this.#downlink.poor) / samples) * 100) / 100,
    };
  }
}
