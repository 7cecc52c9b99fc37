/**
 * The checkpoint file format: header, runtime state, the application's payload and a CRC32C
 * trailer, written atomically and verified before anything is restored. Internal: applications see
 * only {@link io.steadfast.api.checkpoint.CheckpointWriter} and its reader.
 */
@NullMarked
package io.steadfast.runtime.internal.checkpoint;

import org.jspecify.annotations.NullMarked;
