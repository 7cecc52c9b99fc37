package io.steadfast.runtime.internal.ratis;

import java.time.Duration;

/**
 * The engine knobs the node builder exposes, already validated.
 *
 * @param electionTimeoutMin lower bound of the randomized election timeout
 * @param electionTimeoutMax upper bound of the randomized election timeout
 * @param requestTimeout how long one engine request may take
 * @param checkpointEveryEntries journal entries between automatic checkpoints
 * @param segmentSizeBytes journal segment size; purging after a checkpoint drops whole segments
 */
public record EngineSettings(
    Duration electionTimeoutMin,
    Duration electionTimeoutMax,
    Duration requestTimeout,
    long checkpointEveryEntries,
    long segmentSizeBytes) {}
