-- Category browsing sorts and filters by price, and its facets count by category and price:
-- one index serves both, the facets from the index alone. It replaces the (category_id, id)
-- index, whose lookups by category it also serves.
CREATE INDEX products_category_price_idx ON products (category_id, price_amount, id);
DROP INDEX products_category_idx;
