/**
 * The seam between an application's command and result types and the bytes the runtime journals and
 * sends. The runtime supplies a Jackson-based default; applications may bring their own.
 */
@NullMarked
package io.steadfast.api.codec;

import org.jspecify.annotations.NullMarked;
