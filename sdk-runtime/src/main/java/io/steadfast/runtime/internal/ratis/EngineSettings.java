package io.steadfast.runtime.internal.ratis;

import java.time.Duration;

/**
 * The engine knobs the node builder exposes, already validated.
 *
 * @param electionTimeoutMin lower bound of the randomized election timeout
 * @param electionTimeoutMax upper bound of the randomized election timeout
 * @param requestTimeout how long one engine request may take
 * @param checkpointEvery commands between automatic checkpoints (an entry without commands counts
 *     one)
 * @param segmentSizeBytes journal segment size; purging after a checkpoint drops whole segments
 * @param checkpointJournalRatio how many times the last checkpoint's size the journal must have
 *     grown by before the next automatic checkpoint (0: count commands only)
 */
public record EngineSettings(
    Duration electionTimeoutMin,
    Duration electionTimeoutMax,
    Duration requestTimeout,
    long checkpointEvery,
    long segmentSizeBytes,
    double checkpointJournalRatio) {}
