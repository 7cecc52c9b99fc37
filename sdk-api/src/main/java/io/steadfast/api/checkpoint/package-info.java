/**
 * Checkpoints: how an application writes and reads its whole state. The runtime frames the
 * application's bytes with a header (magic, format and application versions, position), its own
 * session table and a CRC32C checksum, and refuses any checkpoint that fails its check.
 */
@NullMarked
package io.steadfast.api.checkpoint;

import org.jspecify.annotations.NullMarked;
