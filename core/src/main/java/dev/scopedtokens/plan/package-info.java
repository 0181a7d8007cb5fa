/** Plans: how many tokens an account may hold, with which scopes, for how long. */
package dev.scopedtokens.plan;
