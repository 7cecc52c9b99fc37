package io.steadfast.examples.demo;

import io.steadfast.api.session.ResumePoint;
import io.steadfast.examples.collection.CollectionCommand;
import io.steadfast.examples.collection.CollectionResult;
import io.steadfast.examples.collection.ResumePoints;

/** A user of the collection system: queries and resume points follow the example's own rules. */
interface CollectionScript extends Script<CollectionCommand, CollectionResult> {

  @Override
  default boolean isQuery(CollectionCommand command) {
    return command instanceof CollectionCommand.Query;
  }

  @Override
  default ResumePoint resumeAfter(
      ResumePoint previous, CollectionCommand command, CollectionResult result) {
    return ResumePoints.after(previous, command, result);
  }
}
