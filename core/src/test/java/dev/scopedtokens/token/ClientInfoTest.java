package dev.scopedtokens.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientInfoTest {

  @Test
  void ofClientId_isTheCommonCase_withTheOtherPartsAbsent() {
    ClientInfo client = ClientInfo.of("docker-desktop");

    assertThat(client.clientId()).contains("docker-desktop");
    assertThat(client.ip()).isEmpty();
    assertThat(client.userAgent()).isEmpty();
  }

  @Test
  void withers_addTheOtherParts() {
    ClientInfo client = ClientInfo.of("HUB").withIp("203.0.113.7").withUserAgent("curl/8.5");

    assertThat(client).isEqualTo(ClientInfo.of("HUB", "203.0.113.7", "curl/8.5"));
  }

  @Test
  void aNullPart_isNamed_andTheMessageSaysWhatToDoInstead() {
    // It was a bare NullPointerException: "ip".
    assertThatThrownBy(() -> ClientInfo.of("HUB", null, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage(
            "client.ip: must not be null; leave out a part the client did not give"
                + " (ClientInfo.of(clientId), withIp, withUserAgent, or ClientInfo.unknown())");
    assertThatThrownBy(() -> new ClientInfo(Optional.empty(), null, Optional.empty()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("client.ip: must not be null; use Optional.empty() when unknown");
  }

  @Test
  void aPartTooLong_isRefusedNamingThePartAndTheBound() {
    assertThatThrownBy(() -> ClientInfo.of("HUB").withUserAgent("x".repeat(513)))
        .isInstanceOf(InvalidTokenRequestException.class)
        .hasMessage("client.userAgent: 513 characters; at most 512 are allowed");
  }
}
