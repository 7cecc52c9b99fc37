/**
 * The deterministic apply path: {@link io.steadfast.runtime.internal.apply.ReplicatedCore} applies
 * journal entries to the application and to the runtime's replicated state (positions, leader time,
 * the session table). Engine-independent; depends on the journal's entries and the session table,
 * and nothing depends back on it but the engine adapter and the node. Internal.
 */
@NullMarked
package io.steadfast.runtime.internal.apply;

import org.jspecify.annotations.NullMarked;
