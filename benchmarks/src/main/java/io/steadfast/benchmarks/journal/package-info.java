/**
 * JMH benchmarks of the journal: batch encoding and decoding in the wire format, and applying
 * batches through the replicated core with session de-duplication.
 */
@NullMarked
package io.steadfast.benchmarks.journal;

import org.jspecify.annotations.NullMarked;
