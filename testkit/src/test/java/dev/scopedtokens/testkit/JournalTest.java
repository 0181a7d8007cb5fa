package dev.scopedtokens.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scopedtokens.server.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The journal's bounds (issue 9 item 11) and its order of taking. */
class JournalTest {
  private final Journal journal = new Journal(new Masking(Set.of()));

  @Test
  void keepsAtMostMaxEntries_droppingTheOldest() {
    for (int i = 0; i < Journal.MAX_ENTRIES + 50; i++) {
      journal.record(
          Instant.EPOCH, HttpRequest.builder("GET", "/" + i).build(), OptionalInt.of(200));
    }

    assertThat(journal.all()).hasSize(Journal.MAX_ENTRIES);
    assertThat(journal.all().get(0).path()).isEqualTo("/50");
  }

  @Test
  void keepsAtMostMaxCharacters_howeverLargeTheRequests() {
    byte[] body = "x ".repeat(1 << 14).getBytes(StandardCharsets.UTF_8); // 32 KiB
    for (int i = 0; i < Journal.MAX_ENTRIES; i++) {
      journal.record(
          Instant.EPOCH,
          HttpRequest.builder("POST", "/x").rawQuery("q=" + "y ".repeat(5000)).body(body).build(),
          OptionalInt.of(200));
    }

    long chars =
        journal.all().stream()
            .mapToLong(r -> r.body().length() + r.path().length() + r.query().orElse("").length())
            .sum();
    assertThat(chars).isLessThanOrEqualTo(Journal.MAX_CHARS);
    assertThat(journal.all())
        .allSatisfy(
            r -> {
              assertThat(r.body()).hasSizeLessThanOrEqualTo(RecordedRequest.MAX_BODY_CHARS + 3);
              assertThat(r.query().orElseThrow())
                  .hasSizeLessThanOrEqualTo(RecordedRequest.MAX_TARGET_CHARS + 3);
            });
  }

  @Test
  void take_handsOutEachEntryOnceInOrder_andWaitsForTheNext() throws InterruptedException {
    journal.record(Instant.EPOCH, HttpRequest.builder("GET", "/a").build(), OptionalInt.of(200));
    journal.record(Instant.EPOCH, HttpRequest.builder("GET", "/b").build(), OptionalInt.empty());

    assertThat(journal.take(Duration.ZERO))
        .hasValueSatisfying(r -> assertThat(r.path()).isEqualTo("/a"));
    assertThat(journal.take(Duration.ZERO))
        .hasValueSatisfying(r -> assertThat(r.path()).isEqualTo("/b"));
    assertThat(journal.take(Duration.ofMillis(1))).isEmpty();
  }
}
