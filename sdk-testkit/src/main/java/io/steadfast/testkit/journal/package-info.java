/**
 * Journal traces: the seeded interleaving of a workload's users into positioned, time-stamped
 * entries, and the {@link io.steadfast.testkit.journal.Replica} that applies them to one
 * application instance as a node of a cluster would.
 */
@NullMarked
package io.steadfast.testkit.journal;

import org.jspecify.annotations.NullMarked;
