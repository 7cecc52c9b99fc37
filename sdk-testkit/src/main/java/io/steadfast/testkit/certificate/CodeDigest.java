package io.steadfast.testkit.certificate;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The SHA-256 of the code a certificate is about: the jar the application class was loaded from,
 * or, for a class directory (a build's {@code target/classes}), every file under it in path order,
 * each as its relative path, a zero byte and its content. The same build gives the same digest, so
 * a certificate can be matched with the artifact that was shipped.
 */
public final class CodeDigest {

  private CodeDigest() {}

  /**
   * Describes the code of {@code type}: {@code sha256:<hex> (<jar file name>)} or {@code
   * sha256:<hex> (<n> files under <directory name>)}; {@code unknown (...)} with the reason when
   * the code cannot be read (no code source, a location that is not a file).
   */
  public static String of(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return "unknown (no code source)";
    }
    Path location;
    try {
      location = Path.of(source.getLocation().toURI());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return "unknown (code at " + source.getLocation() + ")";
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      if (Files.isRegularFile(location)) {
        try (InputStream in = Files.newInputStream(location)) {
          byte[] buffer = new byte[64 * 1024];
          for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
            sha.update(buffer, 0, n);
          }
        }
        return "sha256:"
            + HexFormat.of().formatHex(sha.digest())
            + " ("
            + location.getFileName()
            + ")";
      }
      List<Path> files;
      try (Stream<Path> walk = Files.walk(location)) {
        files = walk.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path file : files) {
        String relative = location.relativize(file).toString().replace('\\', '/');
        sha.update(relative.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(Files.readAllBytes(file));
      }
      return "sha256:"
          + HexFormat.of().formatHex(sha.digest())
          + " ("
          + files.size()
          + " files under "
          + location.getFileName()
          + ")";
    } catch (IOException e) {
      return "unknown (" + e.getClass().getSimpleName() + " reading " + location + ")";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
