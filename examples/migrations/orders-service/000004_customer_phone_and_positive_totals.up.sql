SET lock_timeout = '2s';
SET statement_timeout = '5min';
ALTER TABLE customers ADD COLUMN phone_number text;
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);
