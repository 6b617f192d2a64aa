package io.junction.audit;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Archive files on disk: one gzip JSON-lines file per day of entries ({@code audit-<day>-<first seq>.jsonl.gz}, one
 * {@link AuditEntry#toJson()} per line) and its manifest ({@code <file>.manifest.json}: first/last seq and hash,
 * row count, SHA-256 of the file). Blocking: call from a worker.
 */
final class ArchiveFiles {
  static final String SUFFIX = ".jsonl.gz";
  static final String MANIFEST_SUFFIX = ".manifest.json";

  private ArchiveFiles() {
  }

  static String fileName(LocalDate day, long firstSeq) {
    return String.format("audit-%s-%012d%s", day, firstSeq, SUFFIX);
  }

  /** The day in a file name written by {@link #fileName}, or null for any other name. */
  static LocalDate dayOf(String name) {
    if (!name.startsWith("audit-") || name.length() < 16) {
      return null;
    }
    try {
      return LocalDate.parse(name.substring(6, 16));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** A file being written: entries go to a temporary file, which becomes the archive only when finished. */
  static final class Writer implements AutoCloseable {
    private final Path target;
    private final Path tmp;
    private final OutputStream out;

    Writer(Path dir, String name) {
      try {
        Files.createDirectories(dir);
        this.target = dir.resolve(name);
        this.tmp = dir.resolve(name + ".tmp");
        this.out = new GZIPOutputStream(Files.newOutputStream(tmp), 65536);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write audit archive in " + dir, e);
      }
    }

    void append(List<AuditEntry> entries) {
      try {
        for (AuditEntry e : entries) {
          out.write(e.toJson().encode().getBytes(StandardCharsets.UTF_8));
          out.write('\n');
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + tmp, e);
      }
    }

    /** Closes, syncs and renames the file into place; returns its path. */
    Path finish() {
      try {
        out.close();
        try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
          channel.force(true);
        }
        return Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot finish " + target, e);
      }
    }

    @Override
    public void close() {
      try {
        out.close();
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // best effort: a leftover .tmp file is never read
      }
    }
  }

  /**
   * Reads a file's entries in order, handing each to {@code sink} until it returns false. Fails with
   * IllegalArgumentException on a line that is not an entry, or when the file is not valid gzip.
   */
  static void read(Path file, Predicate<AuditEntry> sink) {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 65536);
         BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int n = 0;
      while ((line = reader.readLine()) != null) {
        n++;
        AuditEntry entry;
        try {
          entry = AuditEntry.fromJson(new JsonObject(line));
        } catch (RuntimeException e) {
          throw new IllegalArgumentException(file.getFileName() + " line " + n + ": " + e.getMessage(), e);
        }
        if (!sink.test(entry)) {
          return;
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(file.getFileName() + " is not a readable gzip file: " + e.getMessage(), e);
    }
  }

  static String sha256(Path file) {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void writeManifest(Path dir, JsonObject manifest) {
    Path target = dir.resolve(manifest.getString("file") + MANIFEST_SUFFIX);
    Path tmp = dir.resolve(manifest.getString("file") + MANIFEST_SUFFIX + ".tmp");
    try {
      Files.writeString(tmp, manifest.encodePrettily() + "\n");
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }
}
