package dev.scopedtokens.token;

/**
 * Which page of an account's tokens to list.
 *
 * @param page the page number, 1-based, 1 to {@value Integer#MAX_VALUE}
 * @param size how many tokens a page holds, 1 to {@value #MAX_SIZE}
 */
public record PageRequest(int page, int size) {
  /** The largest page size, as on Docker Hub. */
  public static final int MAX_SIZE = 100;

  /** Docker Hub's default page size. */
  public static final int DEFAULT_SIZE = 10;

  /**
   * Validates the components.
   *
   * @throws InvalidTokenRequestException naming {@code page} or {@code size} and the allowed range
   */
  public PageRequest {
    if (page < 1) {
      throw new InvalidTokenRequestException("page", page + "; must be 1 or more");
    }
    if (size < 1 || size > MAX_SIZE) {
      throw new InvalidTokenRequestException("size", size + "; must be 1 to " + MAX_SIZE);
    }
  }

  /** Returns a request for page {@code page} (1-based) of {@code size} tokens. */
  public static PageRequest of(int page, int size) {
    return new PageRequest(page, size);
  }

  /** Returns a request for the first page of {@code size} tokens. */
  public static PageRequest first(int size) {
    return new PageRequest(1, size);
  }

  /**
   * Returns the request for the page after this one.
   *
   * @throws InvalidTokenRequestException when this is page {@value Integer#MAX_VALUE}, the last
   *     page number there is (an int cannot count one more)
   */
  public PageRequest next() {
    if (page == Integer.MAX_VALUE) {
      throw new InvalidTokenRequestException(
          "page", page + " is the last page number; there is no page after it");
    }
    return new PageRequest(page + 1, size);
  }

  /** Returns how many tokens come before this page. */
  public long offset() {
    return (long) (page - 1) * size;
  }
}
