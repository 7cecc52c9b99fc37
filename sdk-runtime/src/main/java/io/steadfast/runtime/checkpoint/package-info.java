/**
 * Stream-backed {@link io.steadfast.api.checkpoint.CheckpointWriter} and {@link
 * io.steadfast.api.checkpoint.CheckpointReader} implementations, for tools and tests that write or
 * read an application's checkpoint payload outside a node. The file format around the payload is
 * internal ({@code io.steadfast.runtime.internal.checkpoint}).
 */
@NullMarked
package io.steadfast.runtime.checkpoint;

import org.jspecify.annotations.NullMarked;
