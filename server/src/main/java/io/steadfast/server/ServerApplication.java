package io.steadfast.server;

import io.steadfast.api.ResilientApplication;
import io.steadfast.api.codec.CommandCodec;

/**
 * What {@link Main} needs to run an application named in configuration ({@code application.class}):
 * fresh instances and the codec. Implemented by the vendor, with a public no-argument constructor;
 * called once at start on the main thread.
 *
 * @param <C> the command type
 * @param <R> the result type
 */
public interface ServerApplication<C, R> {

  /** A fresh application instance; called once at start and once per restore. */
  ResilientApplication<C, R> newApplication();

  /** The codec of commands and results. */
  CommandCodec<C, R> codec();
}
