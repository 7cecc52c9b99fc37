package io.steadfast.runtime.internal.checkpoint;

import io.steadfast.api.Position;

/**
 * The header of a checkpoint file: which format, which application payload version, and where in
 * the journal it stands.
 *
 * <p>Immutable.
 *
 * @param formatVersion the runtime's checkpoint format
 * @param applicationVersion the application's {@code checkpointVersion()} when written
 * @param journalTerm the engine term of the last journal entry included
 * @param journalIndex the engine index of the last journal entry included
 * @param position the position of the last command included
 */
public record CheckpointHeader(
    int formatVersion,
    int applicationVersion,
    long journalTerm,
    long journalIndex,
    Position position) {}
