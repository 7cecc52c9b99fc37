/**
 * Runs one Steadfast member as an operating-system process: {@link
 * io.steadfast.server.SteadfastServer#run} is a vendor's whole main, {@link
 * io.steadfast.server.Main} the runnable form that names the application in its configuration.
 * Every setting is a key of {@link io.steadfast.server.ServerConfig}; see {@code
 * docs/operations.md}.
 */
@NullMarked
package io.steadfast.server;

import org.jspecify.annotations.NullMarked;
