package dev.scopedtokens.scope;

/** Whether a repository can be pulled by anyone or only by those given access. */
public enum RepositoryVisibility {
  /** Anyone may pull it, signed in or not. */
  PUBLIC,
  /** Only accounts given access may pull it. */
  PRIVATE
}
