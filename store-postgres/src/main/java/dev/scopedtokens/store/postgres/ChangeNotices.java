package dev.scopedtokens.store.postgres;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The notices of the PostgreSQL change feed: what a committing transaction sends with {@code
 * pg_notify}, and how a listener reads it back.
 *
 * <p>A payload is the changed token ids in their canonical text, joined by commas: 37 bytes an id,
 * so one payload carries up to {@value #IDS_PER_PAYLOAD} ids and stays well under PostgreSQL's
 * limit of 8,000 bytes. A larger change is split over several payloads of the same transaction, all
 * delivered at its commit; a change of more than {@value #MAX_PAYLOADS} payloads' worth (which the
 * service never makes: its changes touch one or two tokens) sends the single payload {@value #ALL},
 * "anything may have changed", instead. Ids come from a set, so an id appears once per transaction,
 * and PostgreSQL itself folds identical payloads of one transaction. A payload that does not parse
 * is read as {@value #ALL}: a reader that cannot tell what changed must assume everything did.
 */
final class ChangeNotices {
  /** The payload that says any token may have changed. */
  static final String ALL = "*";

  static final int IDS_PER_PAYLOAD = 200;
  static final int MAX_PAYLOADS = 5;

  /** PostgreSQL's limit on a payload, in bytes (the server's default build). */
  static final int PAYLOAD_LIMIT = 8000;

  private static final int ID_LENGTH = 36;

  private ChangeNotices() {}

  /** The payloads that announce {@code ids}; none when there are none. */
  static List<String> payloads(Set<UUID> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    if (ids.size() > IDS_PER_PAYLOAD * MAX_PAYLOADS) {
      return List.of(ALL);
    }
    List<String> payloads = new ArrayList<>();
    StringBuilder payload = new StringBuilder(Math.min(ids.size(), IDS_PER_PAYLOAD) * 37);
    int inPayload = 0;
    for (UUID id : ids) {
      if (inPayload == IDS_PER_PAYLOAD) {
        payloads.add(payload.toString());
        payload.setLength(0);
        inPayload = 0;
      }
      if (inPayload > 0) {
        payload.append(',');
      }
      payload.append(id);
      inPayload++;
    }
    payloads.add(payload.toString());
    return payloads;
  }

  /**
   * The statement that sends one payload ({@code ?} 1 the channel, 2 the payload) inside a
   * transaction, so that it is delivered when, and only if, the transaction commits.
   */
  static final String NOTIFY_SQL = "SELECT pg_notify(?, ?)";

  /**
   * Reads a payload: the ids it names, or empty when any token may have changed ({@value #ALL}, or
   * a payload this version cannot read).
   */
  static Optional<Set<UUID>> read(String payload) {
    if (payload == null
        || payload.isEmpty()
        || payload.getBytes(StandardCharsets.UTF_8).length >= PAYLOAD_LIMIT) {
      return Optional.empty();
    }
    Set<UUID> ids = new LinkedHashSet<>();
    int start = 0;
    while (start <= payload.length()) {
      int end = payload.indexOf(',', start);
      if (end < 0) {
        end = payload.length();
      }
      if (end - start != ID_LENGTH) {
        return Optional.empty();
      }
      try {
        ids.add(UUID.fromString(payload.substring(start, end)));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      start = end + 1;
    }
    return Optional.of(Collections.unmodifiableSet(ids));
  }
}
