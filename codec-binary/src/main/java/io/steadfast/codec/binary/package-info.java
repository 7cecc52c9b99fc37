/**
 * A compact binary {@link io.steadfast.api.codec.CommandCodec} for applications whose commands and
 * results are records, enums and sealed hierarchies of records: {@link
 * io.steadfast.codec.binary.BinaryCodec}.
 */
@NullMarked
package io.steadfast.codec.binary;

import org.jspecify.annotations.NullMarked;
