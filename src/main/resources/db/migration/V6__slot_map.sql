-- Cluster instances: which shard owns which hash slots ("first-last:shard,…"); null for standard ones.
alter table instances add column slot_map varchar(4000);
