/**
 * The pure rules: the checks that need no cluster (harness validity, checkpoint, journal replay).
 * Only {@link io.steadfast.testkit.pure.PureRules} is public; the checks themselves are not API.
 */
@NullMarked
package io.steadfast.testkit.pure;

import org.jspecify.annotations.NullMarked;
