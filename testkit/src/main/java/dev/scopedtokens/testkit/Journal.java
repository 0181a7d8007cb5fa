package dev.scopedtokens.testkit;

import dev.scopedtokens.server.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The fake's journal of requests: masked, each entry bounded, and the whole bounded in entries and
 * in characters, the oldest entries going first. {@link #take} hands out entries in order, once
 * each, waiting for the next one to arrive.
 */
final class Journal {
  /** The most entries kept. */
  static final int MAX_ENTRIES = 1000;

  /** The most characters kept over all entries (about 8 MiB of heap). */
  static final long MAX_CHARS = 4L << 20;

  private record Entry(long sequence, RecordedRequest request, long chars) {}

  private final Masking masking;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private long nextSequence;
  private long nextToTake;
  private long chars;

  Journal(Masking masking) {
    this.masking = masking;
  }

  /** Journals {@code request}, answered with {@code status} or dropped when empty. */
  void record(Instant receivedAt, HttpRequest request, OptionalInt status) {
    RecordedRequest recorded = mask(receivedAt, request, status);
    long size = size(recorded);
    lock.lock();
    try {
      entries.addLast(new Entry(nextSequence++, recorded, size));
      chars += size;
      while (entries.size() > MAX_ENTRIES || (chars > MAX_CHARS && entries.size() > 1)) {
        chars -= entries.removeFirst().chars();
      }
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  List<RecordedRequest> all() {
    lock.lock();
    try {
      List<RecordedRequest> all = new ArrayList<>(entries.size());
      entries.forEach(e -> all.add(e.request()));
      return List.copyOf(all);
    } finally {
      lock.unlock();
    }
  }

  void clear() {
    lock.lock();
    try {
      entries.clear();
      chars = 0;
      nextToTake = nextSequence;
    } finally {
      lock.unlock();
    }
  }

  /** The oldest entry not yet taken, waiting up to {@code timeout} for one to arrive. */
  Optional<RecordedRequest> take(Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        for (Entry entry : entries) {
          if (entry.sequence() >= nextToTake) {
            nextToTake = entry.sequence() + 1;
            return Optional.of(entry.request());
          }
        }
        if (nanos <= 0) {
          return Optional.empty();
        }
        nanos = arrived.awaitNanos(nanos);
      }
    } finally {
      lock.unlock();
    }
  }

  private RecordedRequest mask(Instant receivedAt, HttpRequest request, OptionalInt status) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    Optional<String> authorization = Optional.empty();
    for (Map.Entry<String, List<String>> field : request.headers().asMap().entrySet()) {
      if (field.getKey().equalsIgnoreCase("Authorization") && !field.getValue().isEmpty()) {
        authorization = Optional.of(Masking.authorization(field.getValue().get(0)));
      }
      if (headers.size() < RecordedRequest.MAX_HEADER_FIELDS) {
        List<String> values = new ArrayList<>();
        for (String value : field.getValue()) {
          values.add(
              Masking.cut(
                  masking.header(field.getKey(), value), RecordedRequest.MAX_HEADER_VALUE_CHARS));
        }
        headers.put(field.getKey(), values);
      }
    }
    return new RecordedRequest(
        receivedAt,
        request.method(),
        Masking.cut(masking.text(request.path()), RecordedRequest.MAX_TARGET_CHARS),
        request
            .rawQuery()
            .map(q -> Masking.cut(masking.query(q), RecordedRequest.MAX_TARGET_CHARS)),
        authorization,
        status,
        headers,
        Masking.cut(masking.body(text(request)), RecordedRequest.MAX_BODY_CHARS));
  }

  /** The body as text; bytes that are not UTF-8 become U+FFFD. */
  private static String text(HttpRequest request) {
    if (request.bodyLength() == 0) {
      return "";
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(request.body()))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return "";
    }
  }

  private static long size(RecordedRequest request) {
    long size = 64L + request.method().length() + request.path().length() + request.body().length();
    size += request.query().map(String::length).orElse(0);
    for (Map.Entry<String, List<String>> field : request.headers().entrySet()) {
      size += field.getKey().length();
      for (String value : field.getValue()) {
        size += value.length();
      }
    }
    return size;
  }
}
