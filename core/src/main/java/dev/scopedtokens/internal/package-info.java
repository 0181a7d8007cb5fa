/**
 * Rules and message text shared by the project's modules (client, server, testkit), written once.
 *
 * <p>Not API: core exports this package only to those modules, by name; applications cannot read
 * it, and it may change in any release.
 */
package dev.scopedtokens.internal;
