package dev.scopedtokens.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChangeNoticesTest {

  private static Set<UUID> ids(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Set<UUID> ids = new LinkedHashSet<>();
    while (ids.size() < count) {
      ids.add(new UUID(random.nextLong(), random.nextLong()));
    }
    return ids;
  }

  @Test
  void everyChangeTheServiceMakes_fitsOnePayload() {
    Set<UUID> ids = ids(2, 1);

    List<String> payloads = ChangeNotices.payloads(ids);

    assertThat(payloads).hasSize(1);
    assertThat(ChangeNotices.read(payloads.get(0))).contains(ids);
  }

  @Test
  void noIds_sendNothing() {
    assertThat(ChangeNotices.payloads(Set.of())).isEmpty();
  }

  @Test
  void aLargeChange_isSplitIntoPayloadsUnderTheLimit_thatTogetherNameEveryId() {
    qt().forAll(
            integers().between(1, ChangeNotices.IDS_PER_PAYLOAD * ChangeNotices.MAX_PAYLOADS),
            longs().all())
        .checkAssert(
            (count, seed) -> {
              Set<UUID> ids = ids(count, seed);
              Set<UUID> read = new HashSet<>();
              for (String payload : ChangeNotices.payloads(ids)) {
                assertThat(payload.getBytes(StandardCharsets.UTF_8).length)
                    .isLessThan(ChangeNotices.PAYLOAD_LIMIT);
                read.addAll(ChangeNotices.read(payload).orElseThrow());
              }
              assertThat(read).isEqualTo(ids);
            });
  }

  @Test
  void aChangeBeyondFivePayloads_sendsEverythingChangedInstead() {
    Set<UUID> ids = ids(ChangeNotices.IDS_PER_PAYLOAD * ChangeNotices.MAX_PAYLOADS + 1, 7);

    List<String> payloads = ChangeNotices.payloads(ids);

    assertThat(payloads).containsExactly(ChangeNotices.ALL);
    assertThat(ChangeNotices.read(payloads.get(0))).isEmpty();
  }

  @Test
  void aPayloadThatDoesNotParse_readsAsEverythingChanged() {
    UUID id = UUID.randomUUID();
    for (String payload :
        new String[] {
          "",
          "*",
          "not an id",
          id + ",",
          "," + id,
          id + ",," + id,
          id.toString().substring(1),
          id + " ",
          id.toString().replace('-', 'x'),
          "v2:" + id
        }) {
      assertThat(ChangeNotices.read(payload)).as(payload).isEqualTo(Optional.empty());
    }
  }
}
