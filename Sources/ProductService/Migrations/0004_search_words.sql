-- Typo-tolerant search corrects each word of a query to the most similar word the catalog
-- uses (pg_trgm over this small vocabulary) and then searches the full-text index as usual,
-- so its cost follows the vocabulary instead of how many product names look alike.
CREATE TABLE search_words (word text PRIMARY KEY);
CREATE INDEX search_words_trgm_idx ON search_words USING gin (word gin_trgm_ops);

-- Words of names and descriptions, as full-text search splits them: at least three
-- characters and one letter (bare numbers are not worth correcting to).
CREATE FUNCTION record_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_words (word)
  SELECT DISTINCT w
  FROM changed, unnest(tsvector_to_array(to_tsvector('simple', changed.name || ' ' || changed.description))) AS w
  WHERE length(w) >= 3 AND w ~ '[[:alpha:]]'
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER products_search_words_inserted AFTER INSERT ON products
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION record_search_words();
CREATE TRIGGER products_search_words_updated AFTER UPDATE ON products
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION record_search_words();

INSERT INTO search_words (word)
SELECT DISTINCT w
FROM products, unnest(tsvector_to_array(to_tsvector('simple', products.name || ' ' || products.description))) AS w
WHERE length(w) >= 3 AND w ~ '[[:alpha:]]'
ON CONFLICT DO NOTHING;

-- Names are no longer compared by similarity one by one.
DROP INDEX products_name_trgm_idx;
