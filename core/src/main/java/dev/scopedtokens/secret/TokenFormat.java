package dev.scopedtokens.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The shape of a token string: a prefix, a random body and a checksum, after GitHub's token format.
 *
 * <pre>{@code
 * stk_ IJKLMNOPQRSTUVWX YZabcdefghijklmnopqrstuvwxyz 3r2WZF
 * |    |                |                            |
 * |    lookup part      secret part                  checksum
 * |    16 chars, 95 bit 28 chars, 166 bit            6 chars: CRC32 of the body
 * prefix (default "stk_")
 * }</pre>
 *
 * (Spaces added for reading; a real token has none, and is {@link #length()} characters long: the
 * prefix plus 50.)
 *
 * <ul>
 *   <li><b>Prefix.</b> 1 to 16 characters of {@code [a-z0-9_]}, ending with {@code '_'}. It tells a
 *       reader and a secret scanner what the string is. Because {@code '_'} is not a base62 digit,
 *       the prefix's end is unambiguous.
 *   <li><b>Body.</b> 44 base62 digits (alphabet {@code 0-9A-Za-z}), each drawn uniformly from the
 *       injected {@link SecureRandom}: 262 bits in all. The first 16 digits are the <em>lookup
 *       part</em> (16 &middot; log2 62 &asymp; 95.3 bits), the remaining 28 the <em>secret
 *       part</em> (28 &middot; log2 62 &asymp; 166.7 bits).
 *   <li><b>Checksum.</b> The CRC32 of the body's ASCII bytes, as exactly 6 base62 digits, most
 *       significant first, left-padded with {@code '0'} (62<sup>6</sup> &gt; 2<sup>32</sup>).
 * </ul>
 *
 * <h2>Offline checks</h2>
 *
 * {@link #isWellFormed} checks prefix, exact length, alphabet and checksum without touching a
 * store, so a typo, a truncated paste or a look-alike is rejected before any lookup or hashing. The
 * checksum catches <em>every</em> single-character change and <em>every</em> swap of two adjacent
 * differing characters:
 *
 * <ul>
 *   <li>in the prefix, the prefix no longer matches (a swap across the prefix's end moves its final
 *       {@code '_'});
 *   <li>in the body, the change is an error burst of at most 16 bits, and CRC32 detects every burst
 *       up to 32 bits;
 *   <li>in the checksum, the 6 digits decode to another number, so they cannot equal the body's CRC
 *       any more;
 *   <li>a swap across the body's end and the checksum's start changes both. The first checksum
 *       digit is always {@code 0}-{@code 4} (2<sup>32</sup> &lt; 5 &middot; 62<sup>5</sup>); if the
 *       body's last digit is not one of those, the swapped checksum is out of range, and if it is,
 *       CRC32's linearity fixes the XOR difference the swap makes to the CRC, none of which equals
 *       the arithmetic difference it makes to the checksum (checked for all 20 pairs).
 * </ul>
 *
 * <h2>The lookup key</h2>
 *
 * A store must find a presented token in O(1), so it indexes tokens by a {@link LookupKey} derived
 * from the token string. That key is readable by anyone who reads the store, and it must not become
 * a faster verifier than the {@link SecretHasher}: a key computed with SHA-256 over the whole body
 * would let a thief test guesses at SHA-256 speed and bypass Argon2id entirely. So the key is
 * SHA-256 over the <em>lookup part only</em>, after the domain-separation label {@code
 * "dev.scopedtokens.lookup-key.v1"} and a zero byte. Consequences:
 *
 * <ul>
 *   <li>The key commits to nothing in the secret part: its 166.7 bits are guarded only by the
 *       verifier, so reading the store gains nothing over what the verifier allows.
 *   <li>The lookup part is "public-ish": learning it (say, from a log that truncates tokens) does
 *       not help anyone guess the secret part.
 *   <li>95 bits make accidental key collisions negligible (about 10<sup>-11</sup> at a billion
 *       tokens), so a store may treat the key as unique.
 *   <li>The label keeps these digests apart from any other SHA-256 use of the same strings.
 * </ul>
 *
 * <h2>Secret scanners</h2>
 *
 * {@link #scannerPattern()} matches candidate tokens in text; for the default prefix it is {@code
 * \bstk_[0-9A-Za-z]{50}\b}, which uses only syntax common to PCRE, RE2, Java and JavaScript. A
 * scanner confirms a match with the checksum to avoid false positives.
 *
 * <p>{@code TokenFormat} is an immutable value: configuration, not secret material, so {@code
 * equals}, {@code hashCode} and {@code toString} are ordinary.
 *
 * <pre>{@code
 * TokenFormat format = TokenFormat.defaults();
 * TokenSecret secret = format.generate(random);       // give secret.reveal() to the owner, once
 * LookupKey key = format.lookupKey(secret);           // store the key with the hash
 * Optional<LookupKey> found = format.parse(presented); // before any lookup; empty if malformed
 * }</pre>
 */
public final class TokenFormat {
  /** Digits in the lookup part of the body. */
  static final int LOOKUP_PART_LENGTH = 16;

  /** Digits in the secret part of the body; 28 &middot; log2 62 &gt; 160 bits. */
  static final int SECRET_PART_LENGTH = 28;

  /** Digits of random body: the lookup part followed by the secret part. */
  static final int BODY_LENGTH = LOOKUP_PART_LENGTH + SECRET_PART_LENGTH;

  /** Digits of checksum after the body. */
  static final int CHECKSUM_LENGTH = 6;

  private static final String DEFAULT_PREFIX = "stk_";
  private static final int MAX_PREFIX_LENGTH = 16;
  private static final Pattern PREFIX_SHAPE = Pattern.compile("[a-z0-9_]{1,16}");
  private static final byte[] LOOKUP_KEY_LABEL =
      "dev.scopedtokens.lookup-key.v1\0".getBytes(StandardCharsets.US_ASCII);
  private static final TokenFormat DEFAULTS = new TokenFormat(DEFAULT_PREFIX);

  private final String prefix;
  private final Pattern scannerPattern;
  private final Pattern embeddedPattern;

  private TokenFormat(String prefix) {
    this.prefix = prefix;
    // The prefix is limited to [a-z0-9_], none of which is special in a regular expression.
    int digits = BODY_LENGTH + CHECKSUM_LENGTH;
    this.scannerPattern =
        Pattern.compile("\\b" + prefix + Base62.CHARACTER_CLASS + "{" + digits + "}\\b");
    // No word boundaries: free text may glue a token to other characters.
    this.embeddedPattern = Pattern.compile(prefix + Base62.CHARACTER_CLASS + "{" + digits + "}");
  }

  /** Returns the default format, with the prefix {@code "stk_"}. */
  public static TokenFormat defaults() {
    return DEFAULTS;
  }

  /**
   * Returns the format with {@code prefix}, e.g. {@code "acme_pat_"}.
   *
   * @throws IllegalArgumentException when the prefix is not 1 to 16 characters of {@code [a-z0-9_]}
   *     ending with {@code '_'}
   */
  public static TokenFormat withPrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    // The message quotes the prefix: it is configuration, never part of a secret.
    if (prefix.isEmpty() || prefix.length() > MAX_PREFIX_LENGTH) {
      throw new IllegalArgumentException(
          "prefix: \""
              + prefix
              + "\" is "
              + prefix.length()
              + " characters; must be 1 to "
              + MAX_PREFIX_LENGTH);
    }
    if (!PREFIX_SHAPE.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "prefix: \""
              + prefix
              + "\" contains a character outside [a-z0-9_]; only lower-case"
              + " letters, digits and '_' are allowed");
    }
    if (prefix.charAt(prefix.length() - 1) != '_') {
      throw new IllegalArgumentException(
          "prefix: \"" + prefix + "\" must end with '_', which separates it from the random body");
    }
    return prefix.equals(DEFAULT_PREFIX) ? DEFAULTS : new TokenFormat(prefix);
  }

  /** Returns the prefix every token of this format starts with. */
  public String prefix() {
    return prefix;
  }

  /** Returns the exact length of every token of this format: the prefix's length plus 50. */
  public int length() {
    return prefix.length() + BODY_LENGTH + CHECKSUM_LENGTH;
  }

  /**
   * Generates a new token: the prefix, 44 base62 digits from {@code random} and their checksum.
   * Hand the plaintext to its owner once; store only {@link #lookupKey} and a {@link
   * SecretHasher#hash}.
   */
  public TokenSecret generate(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    StringBuilder token = new StringBuilder(length()).append(prefix);
    Base62.appendRandom(token, random, BODY_LENGTH);
    Base62.appendFixedWidth(token, crc32(token, prefix.length()), CHECKSUM_LENGTH);
    return TokenSecret.of(token.toString());
  }

  /**
   * Returns whether {@code presented} has this format's prefix, exact length, alphabet and a
   * matching checksum. It needs no store and reveals nothing that the presenter does not know.
   */
  public boolean isWellFormed(CharSequence presented) {
    Objects.requireNonNull(presented, "presented");
    if (presented.length() != length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (presented.charAt(i) != prefix.charAt(i)) {
        return false;
      }
    }
    for (int i = prefix.length(); i < presented.length(); i++) {
      if (!Base62.isDigit(presented.charAt(i))) {
        return false;
      }
    }
    // Compare encoded digits rather than decoded numbers: an out-of-range checksum simply differs.
    // Least significant digit first, without building the expected string: this check runs before
    // every verification, cached ones included.
    long rest = crc32(presented, prefix.length());
    int checksumStart = prefix.length() + BODY_LENGTH;
    for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
      if (presented.charAt(checksumStart + i) != Base62.ALPHABET.charAt((int) (rest % 62))) {
        return false;
      }
      rest /= 62;
    }
    return true;
  }

  /**
   * The key a store indexes {@code presented} by, or empty when it is not {@linkplain #isWellFormed
   * well formed} for this format: the offline check and the key in one pass over the token, so a
   * verification checks the checksum once.
   *
   * <pre>{@code
   * Optional<LookupKey> key = format.parse(presented); // empty: reject without a lookup
   * }</pre>
   */
  public Optional<LookupKey> parse(TokenSecret presented) {
    Objects.requireNonNull(presented, "presented");
    String token = presented.reveal();
    return isWellFormed(token) ? Optional.of(keyOfWellFormed(token)) : Optional.empty();
  }

  /**
   * Returns the key a store indexes {@code wellFormed} by: domain-separated SHA-256 over the lookup
   * part only (see the class documentation for why not the whole token). The same token always
   * yields an equal key.
   *
   * @throws IllegalArgumentException when the secret is not {@linkplain #isWellFormed well formed}
   *     for this format (the message does not contain the secret)
   */
  public LookupKey lookupKey(TokenSecret wellFormed) {
    Objects.requireNonNull(wellFormed, "wellFormed");
    return parse(wellFormed)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "token secret: not well formed for "
                        + this
                        + "; check isWellFormed before lookupKey, or use parse"));
  }

  /**
   * Returns whether {@code text} contains a string shaped like a token of this format: the prefix
   * and 50 base62 digits, anywhere, even glued to other characters. The checksum is not asked for,
   * so a token with a typo counts too. This is the rule that keeps tokens out of free text (labels,
   * account names): a token pasted into the wrong field is refused rather than stored in plain
   * sight.
   */
  public boolean containsToken(CharSequence text) {
    Objects.requireNonNull(text, "text");
    return embeddedPattern.matcher(text).find();
  }

  /** Domain-separated SHA-256 over the lookup part of a token known to be well formed. */
  private LookupKey keyOfWellFormed(String token) {
    MessageDigest sha256 = sha256();
    sha256.update(LOOKUP_KEY_LABEL);
    int start = prefix.length();
    for (int i = start; i < start + LOOKUP_PART_LENGTH; i++) {
      sha256.update((byte) token.charAt(i)); // base62 digits are ASCII
    }
    return LookupKey.of(sha256.digest());
  }

  /**
   * Returns the regular expression secret scanners use to find tokens of this format in text: the
   * prefix and 50 base62 digits between word boundaries, e.g. {@code \bstk_[0-9A-Za-z]{50}\b}. Its
   * {@link Pattern#pattern()} uses only syntax that PCRE, RE2 (GitHub secret scanning, Go) and
   * JavaScript read alike. A match is a candidate; {@link #isWellFormed} confirms it.
   */
  public Pattern scannerPattern() {
    return scannerPattern;
  }

  private static long crc32(CharSequence token, int bodyStart) {
    // One call over the body's bytes lets the JIT use its vectorised CRC32 intrinsic; a call per
    // character costs several times more.
    byte[] body = new byte[BODY_LENGTH];
    for (int i = 0; i < BODY_LENGTH; i++) {
      body[i] = (byte) token.charAt(bodyStart + i); // callers have checked: ASCII base62 digits
    }
    CRC32 crc = new CRC32();
    crc.update(body, 0, BODY_LENGTH);
    return crc.getValue();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java SE implementation must provide SHA-256.
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenFormat other && prefix.equals(other.prefix);
  }

  @Override
  public int hashCode() {
    return prefix.hashCode();
  }

  /** Returns the prefix and length, e.g. {@code TokenFormat[prefix=stk_, length=54]}. */
  @Override
  public String toString() {
    return "TokenFormat[prefix=" + prefix + ", length=" + length() + "]";
  }
}
