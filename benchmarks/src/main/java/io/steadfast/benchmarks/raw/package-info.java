/**
 * The baseline: a minimal counter state machine on plain Apache Ratis, one Raft entry per command,
 * configured like the runtime (election timeout, storage, ports) and driven in-process the same way
 * the runtime's sessions drive their node.
 */
@NullMarked
package io.steadfast.benchmarks.raw;

import org.jspecify.annotations.NullMarked;
