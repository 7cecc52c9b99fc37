package io.steadfast.runtime;

import io.steadfast.api.Position;

/**
 * A fingerprint of a replica's whole state at a position: SHA-256 over the runtime's replicated
 * state and the application's canonical checkpoint bytes. Equal digests at equal positions mean
 * equal replicas.
 *
 * @param position the position of the last command included
 * @param journalIndex the journal index of the last entry included
 * @param sha256 the fingerprint, in lower-case hex
 * @param bytes the size of what was hashed
 */
public record StateDigest(Position position, long journalIndex, String sha256, long bytes) {}
