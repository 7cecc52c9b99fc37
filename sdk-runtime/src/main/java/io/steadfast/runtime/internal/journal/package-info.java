/**
 * The journal's wire format and the replicated core that applies it: batches of session requests
 * (group commit), their outcomes, and the deterministic state every replica holds besides the
 * application's own (positions, leader time, the session table). Internal: not API.
 */
@NullMarked
package io.steadfast.runtime.internal.journal;

import org.jspecify.annotations.NullMarked;
