package io.steadfast.api.checkpoint;

import java.io.IOException;

/**
 * The application's state as it was at one moment between two commands, to be written into a
 * checkpoint later, while the application goes on applying commands.
 *
 * <p><b>Implemented by applications</b> that return one from {@code ResilientApplication.freeze()};
 * usually a lambda over an immutable or copy-on-write view of the state. Capturing it must be cheap
 * (it runs on the apply thread, which waits); writing it may be slow.
 *
 * <p><b>Threads.</b> {@link #writeTo} is called at most once, on the runtime's checkpoint thread,
 * while {@code apply} keeps running on the apply thread. It must therefore read only what the
 * capture made immutable, never the live state.
 *
 * <p><b>Contract.</b> {@link #writeTo} must write exactly the bytes {@code
 * ResilientApplication.checkpoint} would have written at the moment of the capture, whatever was
 * applied since. The certification suite checks this (rule CP-7). If it throws, the checkpoint is
 * abandoned, the previous one stays in force and the journal is kept.
 */
@FunctionalInterface
public interface FrozenState {

  /**
   * Writes the captured state.
   *
   * @param out where to write, as in {@code ResilientApplication.checkpoint}
   * @throws IOException if writing fails
   */
  void writeTo(CheckpointWriter out) throws IOException;
}
