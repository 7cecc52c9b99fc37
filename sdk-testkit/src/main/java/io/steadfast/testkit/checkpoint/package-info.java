/**
 * Checkpoints in memory: taking and restoring an application's checkpoint payload as bytes, and the
 * state fingerprint (SHA-256 of the canonical checkpoint bytes) that every equality rule compares.
 */
@NullMarked
package io.steadfast.testkit.checkpoint;

import org.jspecify.annotations.NullMarked;
