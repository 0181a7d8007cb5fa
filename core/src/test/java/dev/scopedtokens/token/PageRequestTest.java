package dev.scopedtokens.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PageRequestTest {

  @Test
  void next_isThePageAfter_withTheSameSize() {
    assertThat(PageRequest.of(3, 25).next()).isEqualTo(PageRequest.of(4, 25));
  }

  @Test
  void next_ofTheLastPageNumber_saysThereIsNone_insteadOfOverflowing() {
    // It failed with "page: -2147483648; must be 1 or more", a page nobody asked for.
    assertThatThrownBy(() -> PageRequest.of(Integer.MAX_VALUE, 100).next())
        .isInstanceOf(InvalidTokenRequestException.class)
        .hasMessage("page: 2147483647 is the last page number; there is no page after it");
  }

  @Test
  void offset_ofTheLastPage_doesNotOverflow() {
    assertThat(PageRequest.of(Integer.MAX_VALUE, 100).offset())
        .isEqualTo((Integer.MAX_VALUE - 1L) * 100);
  }
}
