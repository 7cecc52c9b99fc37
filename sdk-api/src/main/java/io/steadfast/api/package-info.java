/**
 * The contract between a business application and the Steadfast runtime.
 *
 * <p>An application implements {@link io.steadfast.api.ResilientApplication}: a deterministic
 * {@code apply} for commands, {@code checkpoint}/{@code restore} for its whole state, and optional
 * callbacks for role changes, health and read-only queries. Everything else in this package is a
 * value handed to those exit points or an exception the runtime raises to callers.
 *
 * <p>This module depends on annotation jars only; no engine type ever appears here.
 */
@NullMarked
package io.steadfast.api;

import org.jspecify.annotations.NullMarked;
