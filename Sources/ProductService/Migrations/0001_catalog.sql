-- Typo-tolerant search needs trigram similarity.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE categories (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  slug text NOT NULL UNIQUE,
  parent_id uuid REFERENCES categories (id),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX categories_parent_idx ON categories (parent_id);

CREATE TABLE products (
  id uuid PRIMARY KEY,
  sku text NOT NULL,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  price_amount bigint NOT NULL CHECK (price_amount >= 0),
  currency char(3) NOT NULL,
  category_id uuid NOT NULL REFERENCES categories (id),
  low_stock_threshold integer NOT NULL DEFAULT 5 CHECK (low_stock_threshold >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- Name weighs more than description in the ranking.
  search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', name), 'A') || setweight(to_tsvector('english', description), 'B')
  ) STORED
);

CREATE UNIQUE INDEX products_sku_key ON products (lower(sku));
CREATE INDEX products_search_idx ON products USING gin (search);
CREATE INDEX products_name_trgm_idx ON products USING gin (lower(name) gin_trgm_ops);
CREATE INDEX products_category_idx ON products (category_id, id);
CREATE INDEX products_price_idx ON products (price_amount, id);
CREATE INDEX products_newest_idx ON products (created_at DESC, id DESC);

-- Stock never goes negative and never less than what is reserved: the checks make an
-- overselling update fail instead of succeeding.
CREATE TABLE inventory (
  product_id uuid PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
  on_hand bigint NOT NULL CHECK (on_hand >= 0),
  reserved bigint NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  -- Counts every change, so events about this product carry an increasing version.
  version bigint NOT NULL DEFAULT 0,
  CHECK (reserved <= on_hand)
);

CREATE TABLE inventory_adjustments (
  id bigserial PRIMARY KEY,
  product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  delta bigint NOT NULL,
  reason text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per order and product; the order's status is the same on all its rows.
CREATE TABLE reservations (
  order_id uuid NOT NULL,
  product_id uuid NOT NULL REFERENCES products (id),
  quantity bigint NOT NULL CHECK (quantity > 0),
  status text NOT NULL CHECK (status IN ('held', 'committed', 'released')),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (order_id, product_id)
);

CREATE INDEX reservations_expiry_idx ON reservations (expires_at) WHERE status = 'held';

CREATE TABLE waitlist (
  product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  user_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (product_id, user_id)
);

CREATE INDEX waitlist_user_idx ON waitlist (user_id, created_at);

-- Events recorded in the same transaction as the change that caused them; a relay publishes
-- them (DESIGN.md §4).
CREATE TABLE outbox (
  id uuid PRIMARY KEY,
  type text NOT NULL,
  aggregate_id uuid NOT NULL,
  aggregate_version bigint NOT NULL,
  payload jsonb NOT NULL,
  traceparent text,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);

CREATE INDEX outbox_unpublished_idx ON outbox (occurred_at) WHERE published_at IS NULL;
