-- Typo-tolerant search corrects each word of a query to the most similar word the catalog
-- uses (pg_trgm over this small vocabulary) and then searches the full-text index as usual,
-- so its cost follows the vocabulary instead of how many product names look alike.
-- `products` counts the products using a word; a word none uses is never a correction.
CREATE TABLE search_words (
  word text PRIMARY KEY,
  products integer NOT NULL DEFAULT 0
);
CREATE INDEX search_words_trgm_idx ON search_words USING gin (word gin_trgm_ops);

-- A product's words, as full-text search splits them: at least three characters and one
-- letter (bare numbers are not worth correcting to).
CREATE FUNCTION product_words(name text, description text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE AS $$
  SELECT DISTINCT w FROM unnest(tsvector_to_array(to_tsvector('simple'::regconfig, name || ' ' || description))) AS w
  WHERE length(w) >= 3 AND w ~ '[[:alpha:]]'
$$;

-- Words are counted in word order, so that concurrent writers take their row locks in the
-- same order and wait for each other instead of deadlocking.
CREATE FUNCTION search_words_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_words AS s (word, products)
  SELECT w, count(*) FROM added, product_words(added.name, added.description) AS w GROUP BY w ORDER BY w
  ON CONFLICT (word) DO UPDATE SET products = s.products + EXCLUDED.products;
  RETURN NULL;
END
$$;

CREATE FUNCTION search_words_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE search_words s SET products = s.products - gone.n
  FROM (
    SELECT w, count(*) AS n FROM removed, product_words(removed.name, removed.description) AS w GROUP BY w ORDER BY w
  ) gone
  WHERE s.word = gone.w;
  RETURN NULL;
END
$$;

-- Only rows whose text changed move counts: a price change leaves the words alone. A word
-- whose count falls was counted before, so the upsert only ever updates it.
CREATE FUNCTION search_words_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH changed AS (
    SELECT a.name, a.description, b.name AS old_name, b.description AS old_description
    FROM after_rows a JOIN before_rows b USING (id)
    WHERE (a.name, a.description) IS DISTINCT FROM (b.name, b.description)
  ), moves AS (
    SELECT w, 1 AS n FROM changed, product_words(changed.name, changed.description) AS w
    UNION ALL
    SELECT w, -1 FROM changed, product_words(changed.old_name, changed.old_description) AS w
  )
  INSERT INTO search_words AS s (word, products)
  SELECT w, sum(n)::int FROM moves GROUP BY w HAVING sum(n) <> 0 ORDER BY w
  ON CONFLICT (word) DO UPDATE SET products = s.products + EXCLUDED.products;
  RETURN NULL;
END
$$;

CREATE TRIGGER products_search_words_added AFTER INSERT ON products
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION search_words_added();
CREATE TRIGGER products_search_words_removed AFTER DELETE ON products
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION search_words_removed();
CREATE TRIGGER products_search_words_changed AFTER UPDATE ON products
  REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows FOR EACH STATEMENT
  EXECUTE FUNCTION search_words_changed();

INSERT INTO search_words (word, products)
SELECT w, count(*) FROM products, product_words(products.name, products.description) AS w GROUP BY w ORDER BY w;

-- Names are no longer compared by similarity one by one.
DROP INDEX products_name_trgm_idx;
