CREATE TABLE orders (
    id          serial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    total       integer NOT NULL,
    placed_at   timestamp NOT NULL DEFAULT now()
);
