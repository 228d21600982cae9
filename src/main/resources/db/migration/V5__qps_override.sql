alter table instances add column qps_limit integer;
