/**
 * Replica audits: every member fingerprints its state at the same journal entry, and the primary
 * compares the fingerprints and reports a replica that differs.
 */
@NullMarked
package io.steadfast.runtime.internal.audit;

import org.jspecify.annotations.NullMarked;
