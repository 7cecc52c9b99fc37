/**
 * JMH benchmarks of the command codec: JSON encoding and decoding of mortgage commands and results.
 */
@NullMarked
package io.steadfast.benchmarks.codec;

import org.jspecify.annotations.NullMarked;
