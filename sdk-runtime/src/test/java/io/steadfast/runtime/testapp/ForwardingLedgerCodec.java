package io.steadfast.runtime.testapp;

import io.steadfast.api.codec.CommandCodec;
import io.steadfast.codec.jackson.JacksonCodec;

/**
 * The ledger's JSON codec behind a class of its own, for tests that change how commands are decoded
 * (count them, make some fail) and leave everything else to JSON.
 */
public class ForwardingLedgerCodec implements CommandCodec<LedgerCommand, Long> {

  /** The ledger's JSON codec that every call goes to. */
  public static final JacksonCodec<LedgerCommand, Long> JSON =
      JacksonCodec.of(LedgerCommand.class, Long.class);

  @Override
  public Class<LedgerCommand> commandType() {
    return LedgerCommand.class;
  }

  @Override
  public byte[] encodeCommand(LedgerCommand command) {
    return JSON.encodeCommand(command);
  }

  @Override
  public LedgerCommand decodeCommand(byte[] bytes) {
    return JSON.decodeCommand(bytes);
  }

  @Override
  public byte[] encodeResult(Long result) {
    return JSON.encodeResult(result);
  }

  @Override
  public Long decodeResult(byte[] bytes) {
    return JSON.decodeResult(bytes);
  }
}
