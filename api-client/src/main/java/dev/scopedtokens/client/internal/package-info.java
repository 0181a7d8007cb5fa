/**
 * The Jackson wire records of the client, and nothing else: opened to Jackson alone, exported to no
 * one, and no part of the API. The client package reads, checks and maps them.
 */
package dev.scopedtokens.client.internal;
