package dev.scopedtokens.robustness;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.scopedtokens.robustness.ClientProbe.Login;
import dev.scopedtokens.robustness.ClientProbe.Operation;
import dev.scopedtokens.testkit.ScriptedHttpClient.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fuzzes the client's reading of responses through its public API: every call, with each kind of
 * login, against a server whose every answer (status, headers, body bytes) comes from the fuzzer.
 * {@link ClientProbe} says what must hold: a result or a {@code HubException}, bounded requests and
 * waits, no secret in a message.
 *
 * <p>An input is text, so that seeds are readable and the fuzzer's string mutations land in JSON.
 * The first chunk names the call and the login; each further chunk is one response: a status line,
 * header lines, a blank line and the body. Chunks are separated by a line {@code ===}:
 *
 * <pre>
 * list password
 * ===
 * 200
 * Content-Type: application/json
 *
 * {"token": "eyJ..."}
 * ===
 * 503
 * Retry-After: 2
 * </pre>
 *
 * The responses answer the client's requests in order, the last one repeating. Anything that does
 * not parse falls back to a default (call {@code list}, login {@code bearer}, status 200), so every
 * input is a valid script.
 *
 * <p>{@code mvn verify} replays the committed corpus in {@code
 * src/test/resources/dev/scopedtokens/robustness/HubClientResponseFuzzTestInputs/<method>/}. To
 * fuzz for longer:
 *
 * <pre>{@code
 * JAZZER_FUZZ=1 JAZZER_MAX_DURATION=10m mvn -B -ntp -pl robustness-tests -am test \
 *     -Dtest='HubClientResponseFuzzTest' -Dsurefire.failIfNoSpecifiedTests=false
 * }</pre>
 */
class HubClientResponseFuzzTest {
  private static final String SEPARATOR = "\n===\n";

  @FuzzTest
  void anyResponse_givesAResultOrATypedException(byte[] input) {
    // ISO-8859-1 maps bytes to chars one to one, so bodies keep their exact bytes.
    String text = new String(input, StandardCharsets.ISO_8859_1);
    String[] chunks = text.split(SEPARATOR, -1);
    String[] words = chunks[0].trim().toUpperCase(Locale.ROOT).split("\\s+");
    Operation operation = parse(Operation.class, words.length > 0 ? words[0] : "", Operation.LIST);
    Login login = parse(Login.class, words.length > 1 ? words[1] : "", Login.BEARER);
    List<Reply> script = new ArrayList<>();
    for (int i = 1; i < chunks.length; i++) {
      script.add(response(chunks[i]));
    }
    if (script.isEmpty()) {
      script.add(ClientProbe.reply(200, Map.of(), new byte[0]));
    }
    ClientProbe.callAndCheck(operation, login, script);
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String name, E fallback) {
    for (E value : type.getEnumConstants()) {
      if (value.name().equals(name)) {
        return value;
      }
    }
    return fallback;
  }

  private static Reply response(String chunk) {
    int headEnd = chunk.indexOf("\n\n");
    String head = headEnd >= 0 ? chunk.substring(0, headEnd) : chunk;
    String body = headEnd >= 0 ? chunk.substring(headEnd + 2) : "";
    String[] lines = head.split("\n", -1);
    int status = 200;
    try {
      status = Integer.parseInt(lines[0].trim());
    } catch (NumberFormatException notANumber) {
      // keep 200
    }
    // HttpClient only ever reports three-digit statuses.
    if (status < 100 || status > 999) {
      status = 200;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
      }
    }
    return ClientProbe.reply(status, headers, body.getBytes(StandardCharsets.ISO_8859_1));
  }
}
