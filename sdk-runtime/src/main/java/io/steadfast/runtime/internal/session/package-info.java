/**
 * The replicated session table: for every open session its principal, last request number and
 * outcome (for exactly-once retries), resume point and last activity in leader time. Internal.
 */
@NullMarked
package io.steadfast.runtime.internal.session;

import org.jspecify.annotations.NullMarked;
