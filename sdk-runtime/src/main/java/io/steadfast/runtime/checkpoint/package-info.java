/**
 * Checkpoint files: the runtime's framing around an application's state (header, session table,
 * payload, CRC32C trailer), and stream-backed {@link io.steadfast.api.checkpoint.CheckpointWriter}
 * and {@link io.steadfast.api.checkpoint.CheckpointReader} implementations.
 */
@NullMarked
package io.steadfast.runtime.checkpoint;

import org.jspecify.annotations.NullMarked;
