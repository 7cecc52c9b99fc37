package io.steadfast.examples.collection;

import io.steadfast.api.ResilientApplication;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.server.ServerApplication;
import io.steadfast.server.SteadfastServer;

/**
 * The Delinquent Loan Collection System as one member process: {@code java -cp <class path>
 * io.steadfast.examples.collection.CollectionServer --config n1.properties} (see {@code
 * docs/operations.md}). Also usable as {@code application.class} of {@code
 * io.steadfast.server.Main}.
 */
public final class CollectionServer
    implements ServerApplication<CollectionCommand, CollectionResult> {

  /** Entry point: the whole main of a vendor's member process. */
  public static void main(String[] args) {
    SteadfastServer.run(args, LoanCollectionApplication::new, LoanCollectionApplication.codec());
  }

  @Override
  public ResilientApplication<CollectionCommand, CollectionResult> newApplication() {
    return new LoanCollectionApplication();
  }

  @Override
  public CommandCodec<CollectionCommand, CollectionResult> codec() {
    return LoanCollectionApplication.codec();
  }
}
