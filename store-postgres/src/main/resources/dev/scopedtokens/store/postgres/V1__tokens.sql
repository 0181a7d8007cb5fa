-- Scoped Tokens, PostgreSQL store, schema version 1: accounts and their tokens.
--
-- ${schema} and ${prefix} are placeholders in Flyway's syntax: PostgresTokenStore fills them in
-- from its builder (default: public and scopedtokens_). An application's own Flyway can run this
-- file with the placeholders `schema` and `prefix` set; then build the store with SchemaMode.NONE.
-- The statements are plain PostgreSQL 12 or later; nothing here needs an extension.

-- One row per account that ever held a token. An update locks its account's row
-- (SELECT ... FOR UPDATE) so that changes to one account run one at a time: that is what keeps a
-- plan's limit and the auto-generated cap true under concurrent requests.
-- It also counts the account's tokens of each origin, whatever their status, kept by the store in
-- the statement that changes them: a plan's limit is checked without counting rows. (Change tokens
-- only through the store, or recount: see the README.)
CREATE TABLE ${schema}.${prefix}accounts (
  owner                 text    PRIMARY KEY,
  manual_tokens         integer NOT NULL DEFAULT 0 CHECK (manual_tokens >= 0),
  auto_generated_tokens integer NOT NULL DEFAULT 0 CHECK (auto_generated_tokens >= 0)
);

-- One row per token: its metadata, the key a presented secret finds it by, and the verifier.
-- Never the secret. Fixed-width columns first, so that rows pack without alignment padding.
CREATE TABLE ${schema}.${prefix}tokens (
  id                uuid        PRIMARY KEY,
  created_at        timestamptz NOT NULL,
  last_used_at      timestamptz,
  expires_at        timestamptz,
  revoked_at        timestamptz,
  -- A bit set: 1 repo:public_read, 2 repo:read, 4 repo:write, 8 repo:admin.
  scopes            smallint    NOT NULL CHECK (scopes BETWEEN 1 AND 15),
  -- 1 manual, 2 auto-generated.
  origin            smallint    NOT NULL CHECK (origin IN (1, 2)),
  active            boolean     NOT NULL,
  owner             text        NOT NULL REFERENCES ${schema}.${prefix}accounts (owner),
  lookup_key        bytea       NOT NULL,
  encoded_hash      text        NOT NULL,
  label             text        NOT NULL,
  client_id         text,
  client_ip         text,
  client_user_agent text
);

-- Verification finds a token by the key derived from the presented secret, in O(1): a hash index,
-- which keeps a 4-byte hash code per token where a B-tree would keep the whole 32-byte key, and an
-- exclusion constraint on it that keeps lookup keys unique over all accounts.
ALTER TABLE ${schema}.${prefix}tokens
  ADD CONSTRAINT ${prefix}tokens_lookup_key EXCLUDE USING hash (lookup_key WITH =);

-- Listing and the update snapshot read an account's tokens newest first: created_at DESC, id DESC
-- (a uuid compares as an unsigned 128-bit number, the order of its text form).
CREATE INDEX ${prefix}tokens_owner_created ON ${schema}.${prefix}tokens (owner, created_at, id);
