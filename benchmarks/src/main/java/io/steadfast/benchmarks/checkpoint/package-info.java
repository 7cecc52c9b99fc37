/**
 * JMH benchmarks of checkpoints: writing and reading the mortgage example's state at several sizes.
 */
@NullMarked
package io.steadfast.benchmarks.checkpoint;

import org.jspecify.annotations.NullMarked;
