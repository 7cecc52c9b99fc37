/**
 * The default {@link io.steadfast.api.codec.CommandCodec}: JSON through Jackson, with sealed
 * command hierarchies encoded by their subtypes' simple names and output in canonical form.
 */
@NullMarked
package io.steadfast.codec.jackson;

import org.jspecify.annotations.NullMarked;
