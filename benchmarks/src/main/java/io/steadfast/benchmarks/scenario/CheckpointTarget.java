package io.steadfast.benchmarks.scenario;

/** A target whose members can be asked for a checkpoint and whose checkpoints can be seen. */
interface CheckpointTarget extends Target {

  /** Asks {@code member} to write a checkpoint now, as {@code POST admin/checkpoint} does. */
  void checkpointNow(int member);

  /** The journal index of {@code member}'s newest checkpoint, or -1 if unknown. */
  long lastCheckpointIndex(int member);
}
