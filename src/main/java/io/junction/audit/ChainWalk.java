package io.junction.audit;

/**
 * Walks entries in seq order and stops at the first one that breaks the chain: a missing seq, a prev_hash that
 * is not the previous entry's hash, or a hash that its own content does not give. Entries before {@code from}
 * only set the anchor (they are outside the range asked for); entries after {@code to} end the walk.
 */
final class ChainWalk {
  private final long from;
  private final long to;
  private long expectedSeq = 1;
  private String prevHash = AuditChain.GENESIS;
  private long checked;
  private long firstChecked = -1;
  private long lastChecked = -1;
  private Long badSeq;
  private String reason;

  ChainWalk(long from, long to) {
    this.from = from;
    this.to = to;
  }

  /** Continue after an entry known from elsewhere (an archive manifest), without checking it. */
  void anchor(long seq, String hash) {
    expectedSeq = seq + 1;
    prevHash = hash;
  }

  long from() {
    return from;
  }

  long expectedSeq() {
    return expectedSeq;
  }

  /** @return false once the walk is over (a bad entry, or past {@code to}) */
  boolean accept(AuditEntry e) {
    if (done()) {
      return false;
    }
    if (e.seq() > to) {
      return false;
    }
    if (e.seq() < from) {
      anchor(e.seq(), e.hash());
      return true;
    }
    if (e.seq() != expectedSeq) {
      return fail(Math.min(e.seq(), expectedSeq), e.seq() > expectedSeq
        ? "seq " + expectedSeq + (e.seq() - expectedSeq > 1 ? " to " + (e.seq() - 1) : "") + " missing"
        : "seq " + e.seq() + " out of order");
    }
    if (!prevHash.equals(e.prevHash())) {
      return fail(e.seq(), "prev_hash of seq " + e.seq() + " is not the hash of seq " + (e.seq() - 1));
    }
    if (!e.selfConsistent()) {
      return fail(e.seq(), "hash of seq " + e.seq() + " does not match its content");
    }
    checked++;
    if (firstChecked < 0) {
      firstChecked = e.seq();
    }
    lastChecked = e.seq();
    anchor(e.seq(), e.hash());
    return true;
  }

  boolean fail(long seq, String why) {
    if (badSeq == null) {
      badSeq = seq;
      reason = why;
    }
    return false;
  }

  boolean done() {
    return badSeq != null;
  }

  long checked() {
    return checked;
  }

  long firstChecked() {
    return firstChecked;
  }

  long lastChecked() {
    return lastChecked;
  }

  Long badSeq() {
    return badSeq;
  }

  String reason() {
    return reason;
  }
}
