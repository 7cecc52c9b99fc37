package io.steadfast.runtime.internal.node;

import io.steadfast.api.NodeId;
import io.steadfast.api.checkpoint.CheckpointException;
import io.steadfast.runtime.internal.checkpoint.CheckpointFile;
import io.steadfast.runtime.internal.checkpoint.CheckpointHeader;
import io.steadfast.runtime.internal.ratis.JournalFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a sound checkpoint from a peer's {@link HttpEndpoint} when a node's own newest checkpoint
 * is refused at start. A fetched checkpoint is verified like a local one, and used only if the
 * node's remaining journal continues from it without a gap.
 */
public final class PeerCheckpoints {

  private static final Logger LOG = LoggerFactory.getLogger(PeerCheckpoints.class);
  public static final String NAME_HEADER = "Steadfast-Checkpoint";

  private final Map<NodeId, URI> peers;
  private final Access access;
  private final HttpClient http;

  /**
   * @param peers the other members' endpoints
   * @param access how this member proves to them that it is a member
   */
  public PeerCheckpoints(Map<NodeId, URI> peers, Access access) {
    this.peers = Map.copyOf(peers);
    this.access = access;
    this.http = access.client(Duration.ofSeconds(2));
  }

  /**
   * Fetches the first usable checkpoint any peer offers into {@code groupDirectory/sm}: one the
   * local journal continues from without a gap, or, with {@code beyondJournal}, also one past the
   * journal's end (the journal is then set aside).
   *
   * @return the peer and the checkpoint's name, if one was installed
   */
  public Optional<String> fetchInto(
      Path groupDirectory, int maxApplicationVersion, boolean beyondJournal) {
    JournalFiles.Bounds journal;
    try {
      journal = JournalFiles.bounds(groupDirectory.resolve("current"));
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot read the journal's bounds; not fetching a checkpoint: {}", e.getMessage());
      return Optional.empty();
    }
    for (Map.Entry<NodeId, URI> peer : peers.entrySet()) {
      try {
        Optional<String> fetched =
            fetch(
                peer.getKey(),
                peer.getValue(),
                groupDirectory,
                maxApplicationVersion,
                journal,
                beyondJournal);
        if (fetched.isPresent()) {
          return fetched;
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("could not fetch a checkpoint from {}: {}", peer.getKey(), e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /**
   * The peer that answers as ready primary ({@code GET /steadfast/v1/primary} is 200), asking each
   * once with a short timeout; empty if none does.
   */
  public Optional<NodeId> primary() {
    for (Map.Entry<NodeId, URI> peer : peers.entrySet()) {
      try {
        HttpResponse<Void> response =
            http.send(
                access
                    .sign(HttpRequest.newBuilder(peer.getValue().resolve("/steadfast/v1/primary")))
                    .timeout(Duration.ofSeconds(1))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return Optional.of(peer.getKey());
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("peer {} did not answer: {}", peer.getKey(), e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /**
   * Asks {@code primary} to step down ({@code POST /steadfast/v1/admin/step-down}); whether it did.
   */
  public boolean askToStepDown(NodeId primary) {
    URI endpoint = peers.get(primary);
    if (endpoint == null) {
      return false;
    }
    try {
      HttpResponse<String> response =
          http.send(
              access
                  .sign(HttpRequest.newBuilder(endpoint.resolve("/steadfast/v1/admin/step-down")))
                  .timeout(Duration.ofSeconds(5))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        LOG.warn("{} did not step down: {} {}", primary, response.statusCode(), response.body());
      }
      return response.statusCode() == 200;
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not ask {} to step down: {}", primary, e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private Optional<String> fetch(
      NodeId peer,
      URI endpoint,
      Path groupDirectory,
      int maxVersion,
      JournalFiles.Bounds journal,
      boolean beyondJournal)
      throws IOException, InterruptedException {
    Path checkpoints = groupDirectory.resolve("sm");
    HttpResponse<InputStream> response =
        http.send(
            access
                .sign(HttpRequest.newBuilder(endpoint.resolve("/steadfast/v1/checkpoint")))
                .timeout(Duration.ofSeconds(60))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      response.body().close();
      if (response.statusCode() == 401 || response.statusCode() == 403) {
        LOG.warn(
            "peer {} refused to serve its checkpoint to this member ({})",
            peer,
            response.statusCode());
      }
      return Optional.empty();
    }
    String name = response.headers().firstValue(NAME_HEADER).orElse("");
    if (!name.matches("snapshot\\.\\d+_\\d+")) {
      response.body().close();
      throw new IOException("peer " + peer + " named its checkpoint '" + name + "'");
    }
    Files.createDirectories(checkpoints);
    Path tmp = checkpoints.resolve(name + ".fetching");
    try (InputStream body = response.body()) {
      Files.copy(body, tmp, StandardCopyOption.REPLACE_EXISTING);
    }
    try {
      CheckpointHeader header = CheckpointFile.verify(tmp, maxVersion);
      if (journal.first() > 0 && header.journalIndex() + 1 < journal.first()) {
        LOG.warn(
            "checkpoint {} from {} ends at {} but the journal here starts at {}; not used",
            name,
            peer,
            header.journalIndex(),
            journal.first());
        Files.deleteIfExists(tmp);
        return Optional.empty();
      }
      LOG.info(
          "checkpoint {} from {} ends at journal index {}; the journal here holds {} to {}",
          name,
          peer,
          header.journalIndex(),
          journal.first(),
          journal.last());
      if (header.journalIndex() > journal.last() && !beyondJournal) {
        // Ratis cannot take a checkpoint beyond the end of the local journal while its leader
        // remembers this node's old position; prefer a local recovery first.
        Files.deleteIfExists(tmp);
        return Optional.empty();
      }
      if (header.journalIndex() >= journal.last()) {
        // Everything in the journal here is committed and inside the checkpoint: set it aside, or
        // the engine would find a gap between the journal's end and the checkpoint.
        Path aside = Files.createDirectories(groupDirectory.resolve("superseded-journal"));
        JournalFiles.setAside(groupDirectory.resolve("current"), aside);
      }
      Path target = checkpoints.resolve(name);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      JournalFiles.writeDigest(target);
      return Optional.of(name + " from " + peer);
    } catch (CheckpointException refused) {
      LOG.warn("checkpoint fetched from {} refused too: {}", peer, refused.getMessage());
      Files.deleteIfExists(tmp);
      return Optional.empty();
    }
  }
}
