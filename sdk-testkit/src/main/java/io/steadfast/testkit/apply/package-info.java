/**
 * Fakes for calling an application's exit points outside a cluster: an {@link
 * io.steadfast.api.ApplyContext} with a settable clock and position, a forwarding context to watch
 * or change one call, and the comparable {@link io.steadfast.testkit.apply.Outcome} of one apply
 * call. Vendors may use them in their own tests.
 */
@NullMarked
package io.steadfast.testkit.apply;

import org.jspecify.annotations.NullMarked;
