package io.steadfast.runtime.internal.node;

import io.steadfast.runtime.internal.journal.Request;
import io.steadfast.runtime.internal.journal.WireFormat;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The bodies of {@code POST /steadfast/v1/requests/batch} and of its answer, big-endian:
 *
 * <ul>
 *   <li>the batch: an {@code int} count (1 to the endpoint's maximum), then per request an {@code
 *       int} length and that many bytes of {@link WireFormat#encodeRequest};
 *   <li>the answer: an {@code int} count (as sent), then per request, in the order sent, an HTTP
 *       status as a {@code short}, an {@code int} length and the body that status would have had
 *       alone: the encoded outcome for 200, the JSON refusal otherwise.
 * </ul>
 *
 * <p>Decoding checks every length against what is left and refuses trailing bytes, so a damaged or
 * hostile body is an {@link IOException}, never a partial batch.
 */
public final class BatchFormat {

  /** The media type of both bodies. */
  public static final String CONTENT_TYPE = "application/octet-stream";

  /** One request's answer within a batch's answer. */
  public record Item(int status, byte[] body) {}

  /** A batch of more requests than the endpoint takes. */
  public static final class TooManyException extends IOException {
    private static final long serialVersionUID = 1L;

    TooManyException(int count, int max) {
      super("a batch of " + count + " requests; at most " + max + " are taken");
    }
  }

  private BatchFormat() {}

  /** A batch of already encoded requests. */
  public static byte[] encodeRequests(List<byte[]> requests) {
    int size = 4;
    for (byte[] request : requests) {
      size += 4 + request.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putInt(requests.size());
    for (byte[] request : requests) {
      out.putInt(request.length).put(request);
    }
    return out.array();
  }

  /** The requests of a batch of 1 to {@code max}. */
  public static List<Request> decodeRequests(byte[] body, int max) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(body);
    try {
      int count = in.getInt();
      if (count < 1) {
        throw new IOException("a batch of " + count + " requests");
      }
      if (count > max) {
        throw new TooManyException(count, max);
      }
      if (count > in.remaining() / 4) {
        // Checked before anything is sized by the count: each request needs its 4-byte length.
        throw new IOException("a batch of " + count + " requests in " + body.length + " bytes");
      }
      List<Request> requests = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        byte[] encoded = slice(in, i);
        try {
          requests.add(WireFormat.decodeRequest(encoded));
        } catch (IOException | RuntimeException e) {
          throw new IOException("request " + i + " is unreadable: " + e.getMessage(), e);
        }
      }
      end(in);
      return requests;
    } catch (BufferUnderflowException e) {
      throw new IOException("batch ends early", e);
    }
  }

  /** The answer of a batch. */
  public static byte[] encodeItems(List<Item> items) {
    int size = 4;
    for (Item item : items) {
      size += 2 + 4 + item.body().length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putInt(items.size());
    for (Item item : items) {
      out.putShort((short) item.status()).putInt(item.body().length).put(item.body());
    }
    return out.array();
  }

  /** The answer of a batch of {@code expected} requests. */
  public static List<Item> decodeItems(byte[] body, int expected) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(body);
    try {
      int count = in.getInt();
      if (count != expected) {
        throw new IOException("answer of " + count + " items to a batch of " + expected);
      }
      if (count > in.remaining() / 6) {
        throw new IOException("an answer of " + count + " items in " + body.length + " bytes");
      }
      List<Item> items = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int status = in.getShort();
        if (status < 100 || status > 599) {
          throw new IOException("item " + i + " has status " + status);
        }
        items.add(new Item(status, slice(in, i)));
      }
      end(in);
      return items;
    } catch (BufferUnderflowException e) {
      throw new IOException("answer ends early", e);
    }
  }

  private static byte[] slice(ByteBuffer in, int index) throws IOException {
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      throw new IOException(
          "item " + index + " claims " + length + " bytes; " + in.remaining() + " are left");
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    return bytes;
  }

  private static void end(ByteBuffer in) throws IOException {
    if (in.hasRemaining()) {
      throw new IOException(in.remaining() + " bytes after the last item");
    }
  }
}
