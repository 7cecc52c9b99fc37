/**
 * Everything that touches Apache Ratis: the state machine adapter that feeds journal entries to the
 * replicated core and writes checkpoints as Raft snapshots, and the server wiring. No Ratis type
 * leaves this package through a public signature of the runtime's API. Internal.
 */
@NullMarked
package io.steadfast.runtime.internal.ratis;

import org.jspecify.annotations.NullMarked;
