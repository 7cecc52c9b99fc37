package org.apache.ratis.server.impl;

import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LogAppender;

/**
 * Reaches into the engine's leader to give it a wrong belief about a follower, the state a bug in
 * the engine's append path can leave behind. Lives in the engine's package because the leader's
 * per-follower records are not public; tests only.
 */
public final class LeaderBeliefs {

  private LeaderBeliefs() {}

  /**
   * Makes {@code leader} believe {@code follower} holds and has committed its whole journal: the
   * follower's match and commit indexes are set to the leader's last index and its next index just
   * past it. A follower that in truth lacks entries then answers every append "inconsistent", and
   * the leader never goes back below what it believes is matched.
   *
   * @return the index the leader now believes the follower matches
   */
  public static long believeCaughtUp(RaftServer.Division leader, String follower) {
    RaftServerImpl server = (RaftServerImpl) leader;
    LeaderStateImpl state =
        server
            .getRole()
            .getLeaderState()
            .orElseThrow(() -> new IllegalStateException(leader.getId() + " is not the leader"));
    LogAppender appender =
        state
            .getLogAppender(RaftPeerId.valueOf(follower))
            .orElseThrow(() -> new IllegalStateException("no appender for " + follower));
    long last = server.getRaftLog().getLastEntryTermIndex().getIndex();
    FollowerInfo info = appender.getFollower();
    info.updateMatchIndex(last);
    info.updateCommitIndex(last);
    info.setNextIndex(last + 1);
    return last;
  }
}
