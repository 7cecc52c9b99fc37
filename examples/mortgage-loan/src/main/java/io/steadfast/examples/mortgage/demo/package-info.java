/**
 * The README demo: the mortgage system on an embedded three-node cluster, with officers working
 * loans while the primary is killed and later switched over for maintenance.
 */
@NullMarked
package io.steadfast.examples.mortgage.demo;

import org.jspecify.annotations.NullMarked;
