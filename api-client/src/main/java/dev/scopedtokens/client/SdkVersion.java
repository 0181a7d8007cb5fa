package dev.scopedtokens.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The SDK's version, written into {@code sdk-version.properties} by the build. */
final class SdkVersion {
  /** The product token every User-Agent header starts its SDK part with. */
  static final String PRODUCT = "scopedtokens-api-client";

  private static final String VERSION = load();

  private SdkVersion() {}

  /** Returns the version this module was built as, such as {@code 0.1.0}. */
  static String version() {
    return VERSION;
  }

  /**
   * Returns the SDK's part of the User-Agent header, such as {@code scopedtokens-api-client/0.1.0
   * Java/17.0.15}.
   */
  static String userAgent() {
    return PRODUCT
        + "/"
        + VERSION
        + " Java/"
        + Runtime.version().version().stream()
            .map(String::valueOf)
            .reduce((a, b) -> a + "." + b)
            .orElse("unknown");
  }

  private static String load() {
    try (InputStream in = SdkVersion.class.getResourceAsStream("sdk-version.properties")) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        String version = properties.getProperty("version", "").trim();
        // An unfiltered file (a build that skipped resource filtering) must not leak "${...}".
        if (!version.isEmpty() && !version.contains("${")) {
          return version;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the SDK version resource", e);
    }
    String fromManifest = SdkVersion.class.getPackage().getImplementationVersion();
    return fromManifest != null ? fromManifest : "unknown";
  }
}
