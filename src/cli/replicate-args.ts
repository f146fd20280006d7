// The options of simulate that ask for replicates: read before the replicate simulator is loaded.

export interface ReplicateArgs {
  readonly replicates?: number;
  readonly seed?: string;
  readonly effects?: 'random' | 'typical';
  readonly etas?: string;
  readonly epsilon?: boolean;
  readonly lloq?: number;
  readonly workers?: number;
  readonly chunkSize?: number;
  readonly progress?: boolean;
  readonly shard?: string;
}

/** Whether the options ask for stochastic simulation (otherwise simulate writes typical predictions and amounts). */
export function wantsReplicates(a: ReplicateArgs): boolean {
  return a.replicates !== undefined || a.shard !== undefined || a.seed !== undefined || a.effects !== undefined || a.etas !== undefined || a.epsilon === false || a.lloq !== undefined;
}

